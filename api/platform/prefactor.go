package platform

import (
	"context"
	"fmt"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/prefactor"
	"github.com/agentop/agentop/api/prefactor/prefactorsim"
)

var prefactorSpec = Spec{
	Name:           "prefactor",
	Title:          "Prefactor",
	DefaultBaseURL: prefactor.DefaultBaseURL,
	Env:            Env{APIKey: "PREFACTOR_API_TOKEN", BaseURL: "PREFACTOR_BASE_URL"},
	New: func(o Options) (api.Backend, error) {
		return prefactor.New(prefactor.Options{
			BaseURL: o.BaseURL, Token: o.APIKey, AllowInsecure: o.AllowInsecure,
			UserAgent: o.UserAgent, Timeout: o.Timeout, Logger: o.Logger,
		})
	},
	Simulate: func(ctx context.Context, cfg SimConfig) (*Simulator, error) {
		c := prefactorsim.Config{Addr: cfg.Addr, AllowRemote: cfg.AllowRemote, APIKey: cfg.APIKey,
			Sim: cfg.Sim, Faults: cfg.Faults, Logger: cfg.Logger}
		for k, v := range cfg.Options {
			switch k {
			case "approve-after":
				d, err := time.ParseDuration(v)
				if err != nil {
					return nil, fmt.Errorf("approve-after: %w", err)
				}
				c.ApproveAfter = d
				if d == 0 {
					c.ApproveAfter = -1
				}
			default:
				return nil, fmt.Errorf("the prefactor simulator has no option %q", k)
			}
		}
		srv, err := prefactorsim.Start(ctx, c)
		if err != nil {
			return nil, err
		}
		return &Simulator{URL: srv.URL, APIKey: srv.APIKey, Engine: srv.Engine, Close: srv.Close}, nil
	},
	SimHealth:  prefactorsim.HealthPath,
	DemoKey:    prefactorsim.DemoKey,
	SimOptions: []Setting{{Name: "approve-after", Usage: "how long a human approval stays open before it is approved in Slack (0: never)"}},
}
