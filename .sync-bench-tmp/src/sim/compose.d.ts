import type { SimNode, SimNodeSpec } from './factory.js';
export declare function composeNode(spec: SimNodeSpec): Promise<SimNode>;
