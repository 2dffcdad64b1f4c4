package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/tui/feed"
	"github.com/agentop/agentop/tui/theme"
)

// feedCache keeps the feeds of the last few executions looked at, so going
// back to one shows it at once; memory is bounded by size × the feed limit.
type feedCache struct {
	size  int
	feeds map[string]*feed.Model
	order []string // least recently used first
}

func newFeedCache(size int) *feedCache {
	return &feedCache{size: size, feeds: map[string]*feed.Model{}}
}

func (c *feedCache) get(id string) *feed.Model { return c.feeds[id] }

// ensure returns the execution's feed, creating it (and evicting the least
// recently used one) when needed.
func (c *feedCache) ensure(id string, st *theme.Styles, limit int) *feed.Model {
	if f, ok := c.feeds[id]; ok {
		c.touch(id)
		return f
	}
	if len(c.order) >= c.size {
		delete(c.feeds, c.order[0])
		c.order = c.order[1:]
	}
	f := feed.New(id, st, limit)
	c.feeds[id] = f
	c.order = append(c.order, id)
	return f
}

func (c *feedCache) touch(id string) {
	for i, x := range c.order {
		if x == id {
			copy(c.order[i:], c.order[i+1:])
			c.order[len(c.order)-1] = id
			return
		}
	}
}

func (c *feedCache) drop(id string) {
	if _, ok := c.feeds[id]; !ok {
		return
	}
	delete(c.feeds, id)
	for i, x := range c.order {
		if x == id {
			c.order = append(c.order[:i], c.order[i+1:]...)
			return
		}
	}
}

// focusFeed makes id the focused execution: its feed is shown and the
// poller tails it. The focus generation tags the poller's events, so those
// still in flight for the previous focus are dropped on arrival.
func (m *Model) focusFeed(id string) tea.Cmd {
	if id == m.focusID {
		return nil
	}
	m.focusID = id
	m.focusGen++
	if id != "" {
		m.feeds.ensure(id, m.st, m.opts.FeedLimit)
		m.layoutFeed()
	}
	src, gen := m.src, m.focusGen
	if src == nil {
		return nil
	}
	return func() tea.Msg {
		src.Focus(id, gen)
		return nil
	}
}

// currentFeed is the focused execution's feed (nil when none).
func (m *Model) currentFeed() *feed.Model { return m.feeds.get(m.focusID) }
