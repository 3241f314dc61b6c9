package picture

import "sync"

// maxCachedBytes bounds the drawings a Cache keeps: a sixel picture a
// screen wide is a few hundred kilobytes.
const maxCachedBytes = 16 << 20

// Cache draws pictures and keeps the drawings, per picture, request
// (mode, size, cell, ID), so that redrawing an article, or going back to
// one, costs no decoding. It is safe for concurrent use; the zero value is
// ready.
type Cache struct {
	mu    sync.Mutex
	kept  map[cacheKey]*Drawing
	order []cacheKey // oldest first
	size  int
}

type cacheKey struct {
	key string
	req Request
}

// Draw returns the drawing of p for req; key names p ("" skips the cache).
func (c *Cache) Draw(key string, p *Picture, req Request) (*Drawing, error) {
	k := cacheKey{key: key, req: req}
	if key != "" {
		c.mu.Lock()
		d, ok := c.kept[k]
		c.mu.Unlock()
		if ok {
			return d, nil
		}
	}
	d, err := Draw(p, req)
	if err != nil || key == "" {
		return d, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.kept == nil {
		c.kept = make(map[cacheKey]*Drawing)
	}
	if _, ok := c.kept[k]; !ok {
		c.order = append(c.order, k)
		c.kept[k] = d
		c.size += d.Size()
	}
	for c.size > maxCachedBytes && len(c.order) > 1 {
		oldest := c.order[0]
		c.order = c.order[1:]
		c.size -= c.kept[oldest].Size()
		delete(c.kept, oldest)
	}
	return d, nil
}
