// The eager-push peer set for aggregates (gossipsub v1.1 mesh: D = 6, D_lo 4, D_hi 12). Pure: the manager
// keeps membership in its own per-peer map and passes the connected ids and a random source in.

export const MESH_D = 6;
export const MESH_D_LO = 4;
export const MESH_D_HI = 12;

export interface MeshParams {
  d: number;
  dLo: number;
  dHi: number;
}

export const DEFAULT_MESH: MeshParams = Object.freeze({ d: MESH_D, dLo: MESH_D_LO, dHi: MESH_D_HI });

/**
 * gossipsub's heartbeat: drop peers that left; below D_lo add random connected peers up to D; above D_hi
 * keep D of them at random. `pick(n)` returns a uniform integer in [0, n).
 */
export function maintainMesh(
  current: ReadonlySet<number>,
  connected: readonly number[],
  pick: (n: number) => number,
  params: MeshParams = DEFAULT_MESH,
): Set<number> {
  const live = new Set(connected);
  const mesh = [...current].filter((id) => live.has(id));
  if (mesh.length < params.dLo) {
    const inMesh = new Set(mesh);
    const spare = connected.filter((id) => !inMesh.has(id));
    while (mesh.length < params.d && spare.length > 0) {
      const i = pick(spare.length);
      mesh.push(spare[i]!);
      spare[i] = spare[spare.length - 1]!;
      spare.pop();
    }
  } else if (mesh.length > params.dHi) {
    while (mesh.length > params.d) {
      const i = pick(mesh.length);
      mesh[i] = mesh[mesh.length - 1]!;
      mesh.pop();
    }
  }
  return new Set(mesh);
}
