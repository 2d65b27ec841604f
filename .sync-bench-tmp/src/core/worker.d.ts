import { type WorkerTask } from './pool-protocol.js';
export default function run(task: WorkerTask): number | {
    r: number;
    psi: number;
};
