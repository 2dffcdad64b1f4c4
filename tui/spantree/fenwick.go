package spantree

// fenwick is a binary indexed tree over a node's children's visible row
// counts: prefix sums and "which child holds row k" in O(log n), appends
// in O(log n).
type fenwick struct{ t []int } // 1-based; t[0] unused

func (f *fenwick) len() int { return max(len(f.t)-1, 0) }

// push appends a child with v rows.
func (f *fenwick) push(v int) {
	if len(f.t) == 0 {
		f.t = append(f.t, 0)
	}
	n := len(f.t)
	low := n & -n
	f.t = append(f.t, v+f.prefix(n-1)-f.prefix(n-low))
}

// add changes child i's count by d.
func (f *fenwick) add(i, d int) {
	for j := i + 1; j < len(f.t); j += j & -j {
		f.t[j] += d
	}
}

// prefix is the total of children [0, i).
func (f *fenwick) prefix(i int) int {
	s := 0
	for j := i; j > 0; j -= j & -j {
		s += f.t[j]
	}
	return s
}

func (f *fenwick) total() int { return f.prefix(f.len()) }

// search finds the child holding row k (0-based, k < total) and the rows
// before it.
func (f *fenwick) search(k int) (int, int) {
	pos, before := 0, 0
	step := 1
	for step*2 < len(f.t) {
		step *= 2
	}
	for ; step > 0; step /= 2 {
		if next := pos + step; next < len(f.t) && before+f.t[next] <= k {
			pos, before = next, before+f.t[next]
		}
	}
	return pos, before
}

// rebuild sets the counts to vs.
func (f *fenwick) rebuild(vs []int) {
	f.t = make([]int, len(vs)+1)
	for i, v := range vs {
		f.t[i+1] += v
		if j := (i + 1) + ((i + 1) & -(i + 1)); j < len(f.t) {
			f.t[j] += f.t[i+1]
		}
	}
}
