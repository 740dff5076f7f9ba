import { verifySecretHeader } from '../secret-header.js';

/**
 * RootFi v3 signs nothing; it sends each webhook's custom `headers` with every delivery ("for added
 * security, you can integrate an authorization token in the headers", `[RF-docs] webhooks.mdx`).
 * hookgraph registers every hook with the shared secret header and checks it here, on top of the URL
 * token. v4's `X-RootFi-Signature` is not relied on: its algorithm and encoding are undocumented
 * (VENDORS.md §4.4).
 */
export const verifyRootfiDelivery = verifySecretHeader;
