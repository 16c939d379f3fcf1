package model

import "slices"

// Items is a lazily loaded list of rows of any kind (entities, projects,
// runs, the entries of a folder) in display order, narrowed by the text
// typed in the filter line, with a cursor and a window. Each row has a
// key; a row loaded again under a key it had replaces the old one in
// place, so a page that repeats rows never grows the list and a folder's
// counts can be updated as pages arrive.
type Items[T any] struct {
	shown
	all   []T
	index map[string]int // key → index in all
	order []int          // indices into all, in display order

	key  func(T) string
	text func(T) string // what the narrowing matches
	cmp  func(a, b T) int

	narrow string
	needle Needle
}

// NewItems returns an empty list whose rows are told apart by key and
// narrowed by matching text. Rows are shown in load order, or ordered by
// cmp when it is not nil (a row whose cmp ties keeps its load order).
func NewItems[T any](key, text func(T) string, cmp func(a, b T) int) *Items[T] {
	return &Items[T]{key: key, text: text, cmp: cmp, index: map[string]int{}}
}

// Loaded returns the number of loaded rows.
func (it *Items[T]) Loaded() int { return len(it.all) }

// Row returns the row shown at i.
func (it *Items[T]) Row(i int) T { return it.all[it.rows[i]] }

// Current returns the row under the cursor.
func (it *Items[T]) Current() (T, bool) {
	i, ok := it.currentIndex()
	if !ok {
		var zero T
		return zero, false
	}
	return it.all[i], true
}

// Get returns the row with key k.
func (it *Items[T]) Get(k string) (T, bool) {
	i, ok := it.index[k]
	if !ok {
		var zero T
		return zero, false
	}
	return it.all[i], true
}

// All returns the loaded rows in load order; the slice must not be
// modified.
func (it *Items[T]) All() []T { return it.all }

// Narrowing returns the local narrowing text.
func (it *Items[T]) Narrowing() string { return it.narrow }

// Needle returns the prepared narrowing text, for highlighting matches.
func (it *Items[T]) Needle() Needle { return it.needle }

// Clear drops every row, for a new query.
func (it *Items[T]) Clear() {
	it.all, it.order, it.rows = nil, nil, nil
	it.index = map[string]int{}
	it.cursor, it.offset = 0, 0
}

// Append adds rows; one whose key is loaded replaces that row in place.
// The cursor stays on the same row. It costs O(page) for rows that go at
// the end and O(loaded) when a row lands before others (cmp) or a
// narrowing is active.
func (it *Items[T]) Append(rows ...T) {
	if len(rows) == 0 {
		return
	}
	cur, hadCur := it.currentIndex()
	resorted := false
	for _, r := range rows {
		k := it.key(r)
		if i, ok := it.index[k]; ok {
			// A replaced row may belong elsewhere now.
			resorted = resorted || (it.cmp != nil && it.cmp(it.all[i], r) != 0)
			it.all[i] = r
			continue
		}
		i := len(it.all)
		it.index[k] = i
		it.all = append(it.all, r)
		if it.cmp == nil {
			it.order = append(it.order, i)
			continue
		}
		at, _ := slices.BinarySearchFunc(it.order, i, func(e, target int) int {
			if c := it.cmp(it.all[e], it.all[target]); c != 0 {
				return c
			}
			return e - target // ties keep load order
		})
		it.order = slices.Insert(it.order, at, i)
	}
	if resorted {
		slices.SortStableFunc(it.order, func(a, b int) int { return it.cmp(it.all[a], it.all[b]) })
	}
	it.renarrow()
	if hadCur {
		it.moveTo(cur)
	}
	it.clampOffset()
}

// SetNarrowing shows only the rows whose text contains text, ignoring
// case (a glob with * or ? matches the whole text). The cursor stays on
// the same row when it is still shown, else goes to the first row.
func (it *Items[T]) SetNarrowing(text string) {
	if text == it.narrow {
		return
	}
	cur, hadCur := it.currentIndex()
	it.narrow, it.needle = text, NewNeedle(text)
	it.renarrow()
	it.cursor, it.offset = 0, 0
	if hadCur {
		it.moveTo(cur)
	}
	it.clampOffset()
}

// SelectKey puts the cursor on the row with key k, when it is shown.
func (it *Items[T]) SelectKey(k string) bool {
	i, ok := it.index[k]
	if !ok {
		return false
	}
	it.moveTo(i)
	return it.cursor < len(it.rows) && it.rows[it.cursor] == i
}

func (it *Items[T]) renarrow() {
	if it.needle.Empty() {
		it.rows = it.order
		return
	}
	rows := make([]int, 0, len(it.order))
	for _, i := range it.order {
		if _, _, ok := it.needle.Match(it.text(it.all[i])); ok {
			rows = append(rows, i)
		}
	}
	it.rows = rows
}
