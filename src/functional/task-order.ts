/**
 * A leaf order of average-linkage hierarchical clustering on a T x T distance matrix: related tasks end up next
 * to each other, which is what makes a distance heatmap readable. Deterministic (ties by lower index).
 */
export function clusterOrder(D: ArrayLike<number>, T: number): number[] {
  interface Cluster {
    members: number[];
  }
  let clusters: Cluster[] = Array.from({ length: T }, (_, i) => ({ members: [i] }));
  const dist = (a: Cluster, b: Cluster): number => {
    let s = 0;
    for (const i of a.members) for (const j of b.members) s += D[i * T + j] as number;
    return s / (a.members.length * b.members.length);
  };
  while (clusters.length > 1) {
    let best = Infinity;
    let bi = 0;
    let bj = 1;
    for (let i = 0; i < clusters.length; i++)
      for (let j = i + 1; j < clusters.length; j++) {
        const d = dist(clusters[i]!, clusters[j]!);
        if (d < best) {
          best = d;
          bi = i;
          bj = j;
        }
      }
    const merged = { members: [...clusters[bi]!.members, ...clusters[bj]!.members] };
    clusters = clusters.filter((_, k) => k !== bi && k !== bj);
    clusters.splice(bi, 0, merged);
  }
  return clusters[0]?.members ?? [];
}
