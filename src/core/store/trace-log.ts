/** Marks a state with no parent: an initial state, whose "action" is its index among the initial states. */
export const NO_PARENT = 0xffffffff

/**
 * Parent links for breadth-first search: state i (in discovery order) was reached from state
 * `parent(i)` by the action with index `action(i)`. Eight bytes a state; a path is rebuilt by
 * following the links and re-executing the choices, so no full state is kept.
 */
export class TraceLog {
  private links: Uint32Array
  private count = 0

  constructor(initialCapacity = 1 << 16) {
    this.links = new Uint32Array(Math.max(16, initialCapacity) * 2)
  }

  get size(): number {
    return this.count
  }

  get bytes(): number {
    return this.links.byteLength
  }

  /** Records a state; returns its id. May throw a RangeError when memory runs out. */
  push(parent: number, action: number): number {
    if (this.count * 2 >= this.links.length) {
      // Two words a state, so the length stays even.
      const bigger = new Uint32Array(Math.ceil(this.links.length * 0.75) * 2)
      bigger.set(this.links)
      this.links = bigger
    }
    const id = this.count++
    this.links[id * 2] = parent
    this.links[id * 2 + 1] = action
    return id
  }

  /** The ChoicePath to a state: its initial state's index, then each action index. */
  choices(id: number): number[] {
    const out: number[] = []
    for (let i = id; ; ) {
      const parent = this.links[i * 2]!
      out.push(this.links[i * 2 + 1]!)
      if (parent === NO_PARENT) break
      i = parent
    }
    return out.reverse()
  }
}
