export {
  type AttachmentContentType,
  type AttachmentDownload,
  type AttachmentStore,
  allowedContentTypes,
  assertTenantKey,
  attachmentKey,
  isAllowedContentType,
  MAX_ATTACHMENT_BYTES,
  type StoredAttachment,
  type UploadRequest,
  type UploadTicket,
  validateUploadRequest,
} from './attachment';
export {
  type AcceptedUpload,
  LocalAttachmentStore,
  type LocalAttachmentStoreOptions,
  type LocalDownload,
} from './local-store';
export {
  S3AttachmentStore,
  type S3AttachmentStoreOptions,
  S3RequestError,
  type S3RequestHandler,
} from './s3-store';
