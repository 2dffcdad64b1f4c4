package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/agentop/agentop/api"
)

// hidden is shown in place of a secret's value.
const hidden = "•••"

func (a *app) profilesCmd() *cobra.Command {
	cmd := group(&cobra.Command{
		Use:     "profiles",
		Aliases: []string{"profile"},
		Short:   "Manage agent profiles (browser, proxy and credentials)",
		Long: `An agent profile is what an execution's browser runs with: proxy country and
type, captcha solving, a sticky IP, stealth, and stored credentials and
cookies. Credential values are encrypted before they leave your machine and
are never shown again: agentop prints ` + hidden + ` in their place.`,
		Example: `  agentop profiles list
  agentop profiles get 2c9e…
  agentop profiles create --name billing --proxy-country us --credential password=env:BILLING_PW
  agentop profiles update 2c9e… --credential otp-secret --delete-credential old-password
  agentop profiles update 2c9e… --cookie key=sid,domain=.portal.example,secure,value=file:./sid.txt
  agentop profiles delete 2c9e…`,
	})
	cmd.AddCommand(a.profilesListCmd(), a.profilesGetCmd(), a.profilesCreateCmd(), a.profilesUpdateCmd(), a.profilesDeleteCmd())
	return cmd
}

func (a *app) profilesListCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List agent profiles",
		Long:    "List the agent profiles of your organization (of every organization the key can see when none is configured).",
		Example: "  agentop profiles list\n  agentop profiles list -o json | jq -r '.[] | [.id, .name] | @tsv'",
		Args:    args(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			be, err := a.backend(cmd.Context())
			if err != nil {
				return err
			}
			profiles, err := be.ListProfiles(cmd.Context(), api.ProfileQuery{})
			if err != nil {
				return failed(err, "list profiles")
			}
			return a.emit(outputs(profiles, profileOutput), func(w io.Writer) error {
				t := a.newTable(column{title: "ID", keep: true}, column{title: "NAME", flex: true}, column{title: "PROXY"},
					column{title: "CREDENTIALS", right: true}, column{title: "UPDATED"}, column{title: "DESCRIPTION", flex: true})
				now := a.now()
				for _, p := range profiles {
					t.add(p.ID, p.Name, joinNonEmpty(" ", p.ProxyCountry, p.ProxyType), strconv.Itoa(len(p.Credentials)),
						age(now, p.UpdatedAt), p.Description)
				}
				return a.printTable(w, t, "no profiles")
			})
		},
	}
}

func (a *app) profilesGetCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "get ID|NAME",
		Short:   "Show an agent profile",
		Long:    "Show an agent profile: its settings, the names of its credentials (values shown as " + hidden + ") and its cookies.",
		Example: "  agentop profiles get 2c9e…\n  agentop profiles get 2c9e… -o json | jq '.credentials[].name'",
		Args:    args(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			be, err := a.backend(cmd.Context())
			if err != nil {
				return err
			}
			if args[0], err = a.profileID(cmd.Context(), be, args[0]); err != nil {
				return err
			}
			p, err := be.GetProfile(cmd.Context(), args[0])
			if err != nil {
				return failed(err, "get profile %s", args[0])
			}
			return a.printProfile(p)
		},
	}
}

// printProfile prints one profile as details or JSON.
func (a *app) printProfile(p api.Profile) error {
	return a.emit(profileOutput(p), func(w io.Writer) error {
		now := a.now()
		d := a.newDetails()
		d.add("ID", p.ID)
		d.add("Name", p.Name)
		d.text("Description", p.Description)
		d.add("Organization", p.OrganizationID)
		d.add("Proxy", joinNonEmpty(" ", p.ProxyCountry, p.ProxyType))
		d.add("Captcha solver", yesNo(p.CaptchaSolver))
		d.add("Sticky IP", yesNo(p.StickyIP))
		d.add("Extra stealth", yesNo(p.ExtraStealth))
		d.add("Credentials", fmt.Sprintf("%d", len(p.Credentials)))
		for _, c := range p.Credentials {
			d.add("", c.Name+" "+hidden)
		}
		d.add("Cookies", fmt.Sprintf("%d", len(p.Cookies)))
		for _, c := range p.Cookies {
			d.add("", joinNonEmpty(" ", c.Name, parens(joinNonEmpty(" @ ", c.Key, c.Domain)))+" "+hidden)
		}
		d.add("Created", timestamp(now, p.CreatedAt))
		d.add("Updated", timestamp(now, p.UpdatedAt))
		return d.render(w)
	})
}

// profileFlags are the settings create and update share.
type profileFlags struct {
	name, description, proxyCountry, proxyType string
	captcha, sticky, stealth                   bool
	credentials, cookies                       []string
	flags                                      *pflag.FlagSet
}

func (pf *profileFlags) register(f *pflag.FlagSet) {
	pf.flags = f
	f.StringVar(&pf.name, "name", "", "the profile's `NAME` (unique in the organization)")
	f.StringVar(&pf.description, "description", "", "a `TEXT` describing the profile")
	f.StringVar(&pf.proxyCountry, "proxy-country", "", "proxy country `CODE` (us, uk, fr, it, jp, au, de, fi, ca)")
	f.StringVar(&pf.proxyType, "proxy-type", "", "proxy `TYPE` (basic, residential, mobile)")
	f.BoolVar(&pf.captcha, "captcha-solver", false, "solve captchas automatically")
	f.BoolVar(&pf.sticky, "sticky-ip", false, "keep the same IP across executions")
	f.BoolVar(&pf.stealth, "extra-stealth", false, "use extra browser stealth")
	f.StringArrayVar(&pf.credentials, "credential", nil, "store a credential: `"+credentialHelp+"` (repeatable)")
	f.StringArrayVar(&pf.cookies, "cookie", nil, "store a cookie: `"+cookieHelp+"` (repeatable)")
}

// secrets reads the credentials and cookies the flags give, values from
// their sources (never the command line).
func (pf *profileFlags) secrets(a *app) ([]api.Secret, []api.CookieInput, error) {
	sr := &secretReader{a: a}
	creds, err := sr.readCredentials(pf.credentials)
	if err != nil {
		return nil, nil, err
	}
	cookies, err := sr.readCookies(pf.cookies)
	if err != nil {
		return nil, nil, err
	}
	return creds, cookies, nil
}

// changed reports whether a flag was given.
func (pf *profileFlags) changed(name string) bool { return pf.flags.Changed(name) }

func (a *app) profilesCreateCmd() *cobra.Command {
	var pf profileFlags
	cmd := &cobra.Command{
		Use:   "create --name NAME",
		Short: "Create an agent profile",
		Long: `Create an agent profile. Credentials are encrypted with the platform's public
key before they are sent. Their values, and cookies' values, are never taken
from the command line itself (it lands in shell history): --credential takes
` + credentialHelp + `; --cookie takes
` + cookieHelp + `
(no value: a prompt without echo).`,
		Example: `  agentop profiles create --name billing --proxy-country us --proxy-type residential
  agentop profiles create --name erp --credential username=env:ERP_USER --credential password
  pass show erp/password | agentop profiles create --name erp --credential password=-
  agentop profiles create --name portal --cookie key=sid,domain=.portal.example,secure,http-only,value=env:PORTAL_SID`,
		Args: args(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if strings.TrimSpace(pf.name) == "" {
				return usageErrorf("--name is required")
			}
			creds, cookies, err := pf.secrets(a)
			if err != nil {
				return err
			}
			be, err := a.backend(ctx)
			if err != nil {
				return err
			}
			org, err := a.organization(ctx, be)
			if err != nil {
				return err
			}
			p, err := be.CreateProfile(ctx, api.ProfileInput{
				Name: pf.name, Description: pf.description, OrganizationID: org,
				ProxyCountry: pf.proxyCountry, ProxyType: pf.proxyType,
				CaptchaSolver: pf.captcha, StickyIP: pf.sticky, ExtraStealth: pf.stealth,
				Credentials: creds, Cookies: cookies,
			})
			if err != nil {
				return failed(err, "create profile %q", pf.name)
			}
			return a.printProfile(p)
		},
	}
	pf.register(cmd.Flags())
	return mutating(cmd)
}

func (a *app) profilesUpdateCmd() *cobra.Command {
	var (
		pf                         profileFlags
		deleteCreds, deleteCookies []string
	)
	cmd := &cobra.Command{
		Use:   "update ID|NAME",
		Short: "Change an agent profile",
		Long: `Change an agent profile: only the settings given are changed. --credential
adds a credential (` + credentialHelp + `) and --cookie a cookie
(` + cookieHelp + `);
--delete-credential and --delete-cookie remove one by name or ID. Values
are never shown. Boolean settings take =false to turn them off, e.g.
--sticky-ip=false.`,
		Example: `  agentop profiles update 2c9e… --proxy-type mobile --sticky-ip=false
  agentop profiles update 2c9e… --delete-credential password --credential password=file:./pw.txt
  agentop profiles update 2c9e… --delete-cookie sid --cookie key=sid,domain=.portal.example,same-site=Lax,expires=2026-12-31`,
		Args: args(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, id := cmd.Context(), args[0]
			var up api.ProfileUpdate
			setStr := func(flag string, v string, dst **string) {
				if pf.changed(flag) {
					*dst = &v
				}
			}
			setBool := func(flag string, v bool, dst **bool) {
				if pf.changed(flag) {
					*dst = &v
				}
			}
			setStr("name", pf.name, &up.Name)
			setStr("description", pf.description, &up.Description)
			setStr("proxy-country", pf.proxyCountry, &up.ProxyCountry)
			setStr("proxy-type", pf.proxyType, &up.ProxyType)
			setBool("captcha-solver", pf.captcha, &up.CaptchaSolver)
			setBool("sticky-ip", pf.sticky, &up.StickyIP)
			setBool("extra-stealth", pf.stealth, &up.ExtraStealth)
			changed := false
			cmd.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) { changed = changed || f.Changed })
			if !changed {
				return usageErrorf("nothing to change: give at least one setting")
			}
			var err error
			if up.AddCredentials, up.AddCookies, err = pf.secrets(a); err != nil {
				return err
			}
			be, err := a.backend(ctx)
			if err != nil {
				return err
			}
			if id, err = a.profileID(ctx, be, id); err != nil {
				return err
			}
			if len(deleteCreds) > 0 || len(deleteCookies) > 0 {
				p, err := be.GetProfile(ctx, id)
				if err != nil {
					return failed(err, "get profile %s", id)
				}
				if up.DeleteCredentials, err = credentialIDs(p, deleteCreds); err != nil {
					return err
				}
				if up.DeleteCookies, err = cookieIDs(p, deleteCookies); err != nil {
					return err
				}
			}
			p, err := be.UpdateProfile(ctx, id, up)
			if err != nil {
				return failed(err, "update profile %s", id)
			}
			return a.printProfile(p)
		},
	}
	pf.register(cmd.Flags())
	cmd.Flags().StringArrayVar(&deleteCreds, "delete-credential", nil, "remove a credential (`NAME or ID`, repeatable)")
	cmd.Flags().StringArrayVar(&deleteCookies, "delete-cookie", nil, "remove a cookie (`NAME or ID`, repeatable)")
	return mutating(cmd)
}

// credentialIDs resolves credentials named by name or id.
func credentialIDs(p api.Profile, refs []string) ([]string, error) {
	return resolveRefs(p, "credential", refs, p.Credentials, func(c api.CredentialRef) (string, string) { return c.ID, c.Name })
}

// cookieIDs resolves cookies named by name or id.
func cookieIDs(p api.Profile, refs []string) ([]string, error) {
	return resolveRefs(p, "cookie", refs, p.Cookies, func(c api.CookieRef) (string, string) { return c.ID, c.Name })
}

// resolveRefs finds each ref among items by id, then by name; a ref that
// matches nothing is a usage error.
func resolveRefs[T any](p api.Profile, what string, refs []string, items []T, idName func(T) (string, string)) ([]string, error) {
	var out []string
	for _, ref := range refs {
		found := ""
		for _, it := range items {
			if id, name := idName(it); id == ref || (found == "" && name == ref) {
				found = id
			}
		}
		if found == "" {
			return nil, usageErrorf("profile %s has no %s %q", p.ID, what, ref)
		}
		out = append(out, found)
	}
	return out, nil
}

func (a *app) profilesDeleteCmd() *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:     "delete ID|NAME",
		Aliases: []string{"rm"},
		Short:   "Delete an agent profile",
		Long: `Delete an agent profile and its stored credentials and cookies.

On a terminal, agentop shows the profile and asks first (the default answer
is no). Without a terminal, --yes is required.`,
		Example: "  agentop profiles delete 2c9e…\n  agentop profiles delete 2c9e… --yes",
		Args:    args(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, id := cmd.Context(), args[0]
			be, err := a.backend(ctx)
			if err != nil {
				return err
			}
			if id, err = a.profileID(ctx, be, id); err != nil {
				return err
			}
			action := "delete profile " + id
			err = a.confirm(yes, action, func() (string, error) {
				p, err := be.GetProfile(ctx, id)
				if err != nil {
					return "", failed(err, "get profile %s", id)
				}
				return fmt.Sprintf("Delete profile %s (%s) and its %d credential(s)?", p.Name, id, len(p.Credentials)), nil
			})
			if err != nil {
				return err
			}
			if err := be.DeleteProfile(ctx, id); err != nil {
				return failed(err, "%s", action)
			}
			return a.emit(ActionOutput{Action: "delete", Target: "profile", ID: id}, func(w io.Writer) error {
				return printLine(w, fmt.Sprintf("Deleted profile %s.", id))
			})
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return mutating(cmd)
}
