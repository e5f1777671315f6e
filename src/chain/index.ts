/**
 * gonka-sdk/chain — keys, SIGN_MODE_DIRECT transactions for every operator flow, broadcast and
 * queries over REST or gRPC. See `docs/chain.md`.
 *
 * @example
 * ```ts
 * import { walletFromMnemonic, createChainClient } from "gonka-sdk/chain";
 * const wallet = await walletFromMnemonic(mnemonic); // m/44'/1200'/0'/0/0 → gonka1…
 * const chain = createChainClient({ url: "http://node2.gonka.ai:8000" });
 * await chain.vote(wallet, { proposalId: 2n, option: "yes" });
 * ```
 * @packageDocumentation
 */
export { walletFromMnemonic, walletFromPrivateKey, generateWallet, verifySignature, type Wallet, type TxSigner, type CosmjsSignDoc } from "./keys.js";
export { checkMnemonic, generateMnemonic } from "./mnemonic.js";
export { txSignerFromOfflineSigner } from "./external-signer.js";
export { DEFAULT_HD_PATH, GONKA_COIN_TYPE, resolveHdPath, type HdPathOptions } from "./hdpath.js";
export {
  ACCOUNT_PREFIX,
  VALOPER_PREFIX,
  VALCONS_PREFIX,
  GOV_MODULE_ADDRESS,
  decodeAddress,
  encodeAddress,
  isAddress,
  addressFromPublicKey,
  toValoperAddress,
  fromValoperAddress,
  moduleAddress,
} from "./address.js";
export { signTx, buildSignDoc, encodeTxBody, encodeAuthInfo, encodeSignDoc, encodeTxRaw, txHash, SECP256K1_PUBKEY_TYPE_URL, type SignTxArgs, type SignedTx } from "./tx.js";
export { resolveMessage, resolveMessages, pack, txMessage, type TxMessage, type SchemaTxMessage, type JsonTxMessage, type PackedTxMessage, type ResolvedMessage } from "./messages.js";
export { chainRegistry, schemaForTypeUrl } from "./registry.js";
export { fromChainJson, cosmosTypeUrls } from "./json.js";
export { toCoins, toCoin, BASE_DENOM, type CoinLike } from "./coins.js";
export { toTimestamp, uniqueTimeoutTimestamp, type TimestampLike } from "./time.js";
export { validatePocBatch, checkEd25519Key, checkParticipantUrl, signerFieldsOf } from "./validate.js";
export {
  InvalidMnemonicError,
  InvalidPrivateKeyError,
  InvalidAddressError,
  UnknownTypeUrlError,
  ChainTxError,
  OutOfGasError,
  SequenceMismatchError,
  UnauthorizedError,
  InsufficientFundsError,
  MalformedResponseError,
  NodeRequestError,
  NodeAnswerMismatchError,
  FeeCapExceededError,
  AccountNotFoundError,
  GasPriceTooLowError,
  FeeTooLowError,
  ChainMsgError,
  chainTxError,
  type ChainTxErrorInit,
  type MsgFailure,
} from "./errors.js";
export { createChainClient, type ChainClient, type ChainClientOptions } from "./client.js";
export type { ChainContext, TxDefaults, NetworkPolicy } from "./context.js";
export { createClientCache, type ClientCache } from "./cache.js";
export { createRestTransport, type RestTransportOptions } from "./transport/rest.js";
export { createGrpcTransport, type GrpcTransportOptions } from "./transport/grpc.js";
export { createCometRpc, type CometRpc, type RpcCheckTxResult, type RpcTxResult, type RpcStatus, type RpcAbciInfo, type RpcAbciQueryResult } from "./transport/rpc.js";
export type { QueryTransport, RestRoute, CallOptions } from "./transport/types.js";
export { broadcastTx, waitForTx, decodeMsgResponses, type TxResult, type WaitForTxOptions } from "./broadcast.js";
export { msgFailures } from "./msg-errors.js";
export { getMinGasPrice, resolveFee, parseGasPrice } from "./fees.js";
export { toChainDecimal, type DecimalParts } from "./decimal.js";
export { checkNodeRelease, txTypeUrls, txMessageTypes } from "./release-check.js";
export { getNetworkInfo, type NetworkInfo } from "./query/network.js";
export { getFeeAllowance, type FeeAllowance } from "./query/feegrant.js";
export { binaryQuery } from "./query/binary.js";
export {
  getParticipantAllowList,
  getExcludedParticipants,
  getPoCDelegation,
  getAccessParams,
  getTransferAgentAccessParams,
  type PoCParticipation,
  type AccessParams,
} from "./query/access.js";
export {
  fetchParams,
  mergeParamsJson,
  unknownJsonFields,
  countUnknownFields,
  ParamsNotPreservableError,
  type ParamsSource,
  type ParamsVia,
  type ParamsQuery,
  type FetchedParams,
} from "./params.js";
export { MessageTypeNotInReleaseError, UnknownNetworkReleaseError } from "../network/availability.js";
export { sendTx, simulateGas, simulationError, type TxOptions, type SendTxOptions, type SendResult } from "./send.js";
export { getAccount, type AccountInfo } from "./query/auth.js";
export { getBalances, getBalance } from "./query/bank.js";
export { getInferenceParams, getParticipant, getParticipants, getEpochInfo, getPocBatchesForStage, getGranteesByMessageType } from "./query/inference.js";
export { getProposal, getProposals, getTally, getVotes, getGovParams } from "./query/gov.js";
export { submitNewParticipant, type SubmitNewParticipantArgs } from "./actions/participant.js";
export {
  grantMlOpsPermissions,
  revokeMlOpsPermissions,
  mlOpsGrantMessages,
  mlOpsFeeAllowanceMessage,
  ML_OPS_MESSAGE_TYPES,
  type GrantMlOpsArgs,
  type GrantMlOpsResult,
  type RevokeMlOpsResult,
  type MlOpsFeeAllowanceOptions,
} from "./actions/mlops.js";
export {
  setPoCDelegation,
  refusePoCDelegation,
  declarePoCIntent,
  setPoCDelegationMessage,
  refusePoCDelegationMessage,
  declarePoCIntentMessage,
} from "./actions/delegation.js";
export {
  startInference,
  finishInference,
  submitValidation,
  startInferenceMessage,
  finishInferenceMessage,
  validationMessage,
  type DutyOptions,
  type StartInferenceArgs,
  type FinishInferenceArgs,
  type ValidationArgs,
} from "./actions/inference.js";
export { respondDealerComplaints, respondDealerComplaintsMessage, type DealerComplaintAnswer } from "./actions/bls.js";
export {
  transferWithVesting,
  batchTransferWithVesting,
  transferWithVestingMessage,
  batchTransferWithVestingMessage,
  MAX_VESTING_EPOCHS,
  MIN_VESTING_NGONKA,
} from "./actions/vesting.js";
export {
  submitProposal,
  proposeInferenceParams,
  inferenceParamsUpdate,
  proposeBlsParams,
  blsParamsUpdate,
  INFERENCE_PARAMS_QUERY,
  BLS_PARAMS_QUERY,
  type ProposeParamsArgs,
  type ProposeParamsResult,
  deposit,
  vote,
  voteWeighted,
  parseVoteOption,
  type SubmitProposalArgs,
  type VoteOptionName,
} from "./actions/gov.js";
export { unjail, depositCollateral, withdrawCollateral, send } from "./actions/validator.js";
export { execAs } from "./actions/exec.js";
export {
  openFileKeyring,
  type FileKeyring,
  type OpenFileKeyringOptions,
  type KeyringBackend,
  type KeyringPasswordSource,
  type KeyringPasswordRequest,
  type KeyInfo,
  type KeyDetails,
  type AddKeyInput,
  type AddKeyOptions,
  type KeepMnemonicInput,
  type KeptMnemonic,
} from "./keyring/file-keyring.js";
export { importArmoredPrivateKey, exportArmoredPrivateKey, type ImportedPrivateKey, type ExportArmorOptions } from "./keyring/armor.js";
export { memoryKeyringStorage, type KeyringStorage } from "./keyring/storage.js";
export { nodeDirectoryStorage, type NodeDirectoryStorageOptions } from "./keyring/node-storage.js";
export {
  KeyringError,
  KeyringPasswordError,
  InvalidKeyringPasswordError,
  KeyringPasswordAttemptsError,
  KeyhashError,
  KeyringItemError,
  KeyRecordError,
  KeyNotFoundError,
  KeyExistsError,
  DuplicateKeyAddressError,
  UnsupportedKeyTypeError,
  InvalidKeyNameError,
  KeyringLockError,
  ArmorError,
  MnemonicNotStoredError,
  MnemonicItemError,
  type MnemonicItemProblem,
  type KeyType,
  type KeyringPasswordFailure,
  type KeyringItemProblem,
  type ArmorProblem,
} from "./keyring/errors.js";
export {
  getPoCV2StoreCommit,
  getAllPoCV2StoreCommits,
  getMLNodeWeightDistribution,
  getAllMLNodeWeightDistributions,
  getPocV2ValidationsForStage,
  getPoCValidationSnapshot,
} from "./query/poc-v2.js";
export * from "./actions/poc-v2.js";
