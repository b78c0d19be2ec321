/** A page's English messages must give every key of its Chinese ones (Chinese is the source). */
export type Messages<Source> = Record<keyof Source, string>;
