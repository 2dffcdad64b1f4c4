package executions

import (
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/feed"
	"github.com/agentop/agentop/tui/internal/kit"
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
func (v *View) focusFeed(id string) tea.Cmd {
	if id == v.focusID {
		return nil
	}
	v.focusID = id
	v.focusGen++
	if id != "" {
		v.feeds.ensure(id, v.ctx.Styles, v.ctx.FeedLimit)
		v.layoutFeed()
	}
	gen := v.focusGen
	return kit.Tell(v.ctx.Source, func(p kit.Poller) { p.Focus(id, gen) })
}

// currentFeed is the focused execution's feed (nil when none).
func (v *View) currentFeed() *feed.Model { return v.feeds.get(v.focusID) }

// onActivities appends activities to the focused execution's feed; events
// of an earlier focus are stale and dropped.
func (v *View) onActivities(e poller.ActivitiesEvent) tea.Cmd {
	if e.Focus != v.focusGen || e.ExecutionID != v.focusID {
		return nil
	}
	f := v.feeds.ensure(e.ExecutionID, v.ctx.Styles, v.ctx.FeedLimit)
	switch {
	case e.Reset && f.Len() > 0:
		f.Merge(e.Activities) // looked at again: keep its history and place
	case e.Reset:
		f.Reset(e.Activities, e.Older)
	default:
		f.Append(e.Activities, e.Gap)
	}
	if e.Final {
		f.SetFinal(true)
	}
	var cmd tea.Cmd
	if n := len(e.Activities); n > 0 {
		v.latest[e.ExecutionID] = e.Activities[n-1]
		v.rows.invalidate()
		cmd = v.reply.OnActivities(e.ExecutionID, e.Activities)
	}
	v.layoutFeed()
	return cmd
}
