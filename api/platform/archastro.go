package platform

import (
	"context"
	"fmt"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro"
	"github.com/agentop/agentop/api/archastro/archastrosim"
)

// archastroJWT is the name of the ArchAstro setting holding the user's JWT,
// sent with a pk_ publishable key (a context names its variable: jwt-env).
const archastroJWT = "jwt"

var archastroSpec = Spec{
	Name:           "archastro",
	Title:          "ArchAstro",
	DefaultBaseURL: archastro.DefaultBaseURL,
	Env: Env{
		APIKey:  "ARCHASTRO_API_KEY",
		BaseURL: "ARCHASTRO_BASE_URL",
		Extra:   map[string]string{archastroJWT: "ARCHASTRO_JWT"},
	},
	Extra: []Setting{{Name: archastroJWT, Secret: true,
		Usage: "the user's JWT, sent as a bearer token with a pk_ publishable key (a sk_ secret key needs none)"}},
	New: func(o Options) (api.Backend, error) {
		return archastro.New(archastro.Options{
			BaseURL: o.BaseURL, APIKey: o.APIKey, JWT: o.Extra[archastroJWT], AllowInsecure: o.AllowInsecure,
			UserAgent: o.UserAgent, Timeout: o.Timeout, Logger: o.Logger,
		})
	},
	Simulate: func(ctx context.Context, cfg SimConfig) (*Simulator, error) {
		for k := range cfg.Options {
			return nil, fmt.Errorf("the archastro simulator has no option %q", k)
		}
		srv, err := archastrosim.Start(ctx, archastrosim.Config{
			Addr: cfg.Addr, AllowRemote: cfg.AllowRemote, APIKey: cfg.APIKey,
			Sim: cfg.Sim, Faults: cfg.Faults, Logger: cfg.Logger,
		})
		if err != nil {
			return nil, err
		}
		return &Simulator{URL: srv.URL, APIKey: srv.APIKey, Engine: srv.Engine, Close: srv.Close}, nil
	},
}
