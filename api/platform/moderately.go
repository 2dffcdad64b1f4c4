package platform

import (
	"context"
	"fmt"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/moderately"
	"github.com/agentop/agentop/api/moderately/moderatelysim"
)

var moderatelySpec = Spec{
	Name:           "moderately",
	Title:          "Moderately AI",
	DefaultBaseURL: moderately.DefaultBaseURL,
	Env: Env{
		APIKey:  "MODERATELY_API_KEY",
		BaseURL: "MODERATELY_BASE_URL",
		Extra:   map[string]string{"team-id": "MODERATELY_TEAM_ID"},
	},
	Extra: []Setting{{Name: "team-id", Usage: "the team every request is scoped to (?teamIds=)"}},
	New: func(o Options) (api.Backend, error) {
		return moderately.New(moderately.Options{
			BaseURL: o.BaseURL, APIKey: o.APIKey, TeamID: o.Extra["team-id"],
			AllowInsecure: o.AllowInsecure, UserAgent: o.UserAgent, Timeout: o.Timeout, Logger: o.Logger,
		})
	},
	Simulate: func(ctx context.Context, cfg SimConfig) (*Simulator, error) {
		c := moderatelysim.Config{Addr: cfg.Addr, AllowRemote: cfg.AllowRemote, APIKey: cfg.APIKey,
			Sim: cfg.Sim, Faults: cfg.Faults, Logger: cfg.Logger}
		for k, v := range cfg.Options {
			switch k {
			case "step-casing":
				casing, err := moderatelysim.ParseCasing(v)
				if err != nil {
					return nil, err
				}
				c.Casing = casing
			default:
				return nil, fmt.Errorf("the moderately simulator has no option %q", k)
			}
		}
		srv, err := moderatelysim.Start(ctx, c)
		if err != nil {
			return nil, err
		}
		return &Simulator{URL: srv.URL, APIKey: srv.APIKey, Engine: srv.Engine, Close: srv.Close,
			Extra: Options{Extra: map[string]string{"team-id": srv.TeamID}}}, nil
	},
	SimOptions: []Setting{{Name: "step-casing", Usage: "casing of live-tail step keys: mixed, camel or snake",
		Values: []string{moderatelysim.CasingMixed, moderatelysim.CasingCamel, moderatelysim.CasingSnake}}},
}
