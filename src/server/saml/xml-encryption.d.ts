/** The part of xml-encryption 3 (CommonJS, untyped) that `assertion-decryption.ts` and the tests use. */
declare module 'xml-encryption' {
  export interface EncryptOptions {
    rsa_pub: string | Buffer;
    pem: string | Buffer;
    encryptionAlgorithm: string;
    keyEncryptionAlgorithm: string;
    /** OAEP digest (and MGF1 digest): 'sha1' (default), 'sha256' or 'sha512'. */
    keyEncryptionDigest?: string;
    disallowEncryptionWithInsecureAlgorithm?: boolean;
    warnInsecureAlgorithm?: boolean;
  }
  export interface DecryptOptions {
    key: string | Buffer;
    disallowDecryptionWithInsecureAlgorithm?: boolean;
    warnInsecureAlgorithm?: boolean;
  }
  const xmlenc: {
    encrypt(content: string, options: EncryptOptions, callback: (error: Error | null, result?: string) => void): void;
    decrypt(xml: string, options: DecryptOptions, callback: (error: Error | null, result?: string) => void): void;
  };
  export default xmlenc;
}
