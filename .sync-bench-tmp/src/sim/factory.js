import { composeNode } from './compose.js';
export function createSimNode(spec) {
    return composeNode(spec);
}
//# sourceMappingURL=factory.js.map