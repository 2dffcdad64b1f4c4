package platform

import (
	"context"
	"fmt"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid"
	"github.com/agentop/agentop/api/asteroid/asteroidsim"
	"github.com/agentop/agentop/api/asteroid/wire"
)

var asteroidSpec = Spec{
	Name:           "asteroid",
	Title:          "Asteroid",
	DefaultBaseURL: asteroid.DefaultBaseURL,
	Env: Env{
		APIKey:       "ASTEROID_API_KEY",
		BaseURL:      "ASTEROID_BASE_URL",
		Organization: "ASTEROID_ORGANIZATION_ID",
	},
	New: func(o Options) (api.Backend, error) {
		return asteroid.New(asteroid.Options{
			BaseURL:        o.BaseURL,
			APIKey:         o.APIKey,
			OrganizationID: o.OrganizationID,
			AllowInsecure:  o.AllowInsecure,
			UserAgent:      o.UserAgent,
			Timeout:        o.Timeout,
			Logger:         o.Logger,
		})
	},
	Simulate: func(ctx context.Context, cfg SimConfig) (*Simulator, error) {
		c := asteroidsim.Config{
			Addr: cfg.Addr, AllowRemote: cfg.AllowRemote, APIKey: cfg.APIKey,
			Sim: cfg.Sim, Faults: cfg.Faults, Logger: cfg.Logger,
		}
		for k, v := range cfg.Options {
			switch k {
			case "activity-shape":
				shape, err := asteroidsim.ParseShape(v)
				if err != nil {
					return nil, err
				}
				c.Shape = shape
			case "webhook":
				c.Webhook = v
			case "control":
				c.Control = v == "true"
			default:
				return nil, fmt.Errorf("the asteroid simulator has no option %q", k)
			}
		}
		srv, err := asteroidsim.Start(ctx, c)
		if err != nil {
			return nil, err
		}
		return &Simulator{URL: srv.URL, APIKey: srv.APIKey, Engine: srv.Engine, Close: srv.Close}, nil
	},
	SimHealth: wire.V1Prefix + "/health",
	DemoKey:   asteroidsim.DemoKey,
	SimOptions: []Setting{
		{Name: "activity-shape", Usage: "activity payload generation: flat or envelope", Values: []string{"flat", "envelope"}},
		{Name: "webhook", Usage: "POST execution events, as Asteroid's webhooks do, to this loopback URL"},
		{Name: "control", Usage: "serve " + asteroidsim.ControlPath + ": faults off and on, the clock frozen, at run time (for tests)", Values: []string{"true", "false"}},
	},
}
