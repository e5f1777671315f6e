import wire from "../fixtures/wire.json";

export interface SignatureVector {
  privateKeyHex: string;
  requesterAddress: string;
  bodyUtf8: string;
  timestampNs: string;
  transferAddress: string;
  signedString: string;
  authorization: string;
}
export interface KeyVector {
  privateKeyHex: string;
  publicKeyHex: string;
  publicKeyBase64: string;
  address: string;
}
export const signatureVectors = wire.inferenceSignatures as SignatureVector[];
export const keyVectors = wire.keys as KeyVector[];
/** The requester key of the signature vectors (address gonka1k4sw…). */
export const requester = keyVectors[0]!;
/** A second key, used as a transfer agent's address. */
export const taKey = keyVectors[1]!;
