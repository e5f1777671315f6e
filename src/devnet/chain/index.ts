/**
 * The chain part of the embedded devnet: an in-memory Gonka chain on loopback that speaks
 * CometBFT RPC (`/chain-rpc/`), Cosmos REST (`/chain-api/`) and gRPC (`/chain-grpc/`).
 * @packageDocumentation
 */
export { startChainNode, createChainRequestHandler, type ChainNode, type ChainNodeOptions, type ChainRequestHandler } from "./server.js";
export { createChainState, grantKey, type ChainState, type ChainStateOptions, type DevAccount, type DevGrant, type DevTxRecord } from "./state.js";
export { Mempool, type ChainNodeHooks, type CheckTxResult } from "./mempool.js";
export { mainnetInferenceParams, mainnetGovParams } from "./genesis.js";
export { tallyProposal, GOV_ADDRESS } from "./exec.js";
export { verifySecp256k1 } from "./crypto.js";
