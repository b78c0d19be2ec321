export * from './claims';
export * from './cognito-directory';
export * from './directory';
export * from './local-directory';
export * from './local-issuer';
export * from './password';
export * from './verifier';
