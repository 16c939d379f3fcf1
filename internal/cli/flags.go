// Package cli is the command line of wbfiles: flags, the start-up checks
// that must fail on the normal screen with one clear line (the API host
// and key, the run, the download folder), the launch of the terminal UI,
// and its end: the signals that stop it cleanly, the downloads stopped
// and waited for, the summary, the exit status (exit.go); and the headless
// commands `ls` and `get` (verb.go, ls.go, get.go), which use the same
// client, page walkers and download runner: ls lists a run's files, a
// project's runs or an entity's projects (ls_runs.go). main only calls Main.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/wbfiles/wbfiles/wandb"
)

// Config is the parsed command line.
type Config struct {
	Run      string   // the RUN argument; "" with --demo alone
	Demo     bool     // --demo: the embedded server and its demo runs
	BaseURL  string   // --base-url, overrides WANDB_BASE_URL
	Dest     string   // --dest, the download folder
	PerPage  int      // --per-page, files per page request (1-1000)
	Pattern  string   // --pattern, an initial server-side LIKE filter
	Names    []string // --names, an initial server-side filter of exact names
	Parallel int      // --parallel, concurrent downloads
	Override bool     // --overwrite: replace differing local files
	// ArtifactDest is --artifact-dest: where an artifact's files land
	// instead of --dest/NAME/vN.
	ArtifactDest string
	NoColor      bool // --no-color (NO_COLOR is read elsewhere)
	Version      bool // --version
	Help         bool // -h, --help
}

const usageText = `wbfiles browses and downloads the files of a Weights & Biases run.

Usage:
  wbfiles [flags] [RUN | ENTITY | ENTITY/PROJECT | ARTIFACT]
  wbfiles --demo [RUN]
  wbfiles ls  [flags] RUN [GLOB...]    (headless; see wbfiles ls --help)
  wbfiles get [flags] RUN [GLOB...]    (headless; see wbfiles get --help)

RUN is entity/project/run_id, entity/project/runs/run_id, entity/project:run_id
or a run URL copied from the W&B app. ENTITY/PROJECT (or a project URL) opens
the project's runs, ENTITY its projects, and no argument the entities of the
API key's user and its teams; going back from a run shows its project's runs.
ARTIFACT is entity/project/name:alias (latest, v3, best, ...) or an artifact
URL; its files land under --dest/NAME/vN. In a run, o lists the artifacts it
logged and used.

The API host is --base-url, else WANDB_BASE_URL, else the host of a run URL
(wandb.ai: api.wandb.ai; a self-hosted server: its own host), else
https://api.wandb.ai. A run URL on another host than the one set is refused.
The API key comes from WANDB_API_KEY, else the netrc entry of the API host
($NETRC, else ~/.netrc; run "wandb login"). A host named only by a run URL
gets the key of its own netrc entry, never WANDB_API_KEY.

Examples:
  wbfiles --demo                                   try it on a local demo server
  wbfiles                                          pick an entity, a project, a run
  wbfiles my-team/llama                            the runs of a project
  wbfiles my-team/llama/3k9x2p7q
  wbfiles https://wandb.ai/my-team/llama/runs/3k9x2p7q/files
  wbfiles --pattern 'media/%' --dest ./out my-team/llama/3k9x2p7q
  WANDB_BASE_URL=https://wandb.example.com wbfiles team/proj/run

Flags:
`

// maxParallel bounds --parallel: each download holds a connection and a
// file, and beyond this a server answers 429 and the process runs out of
// file descriptors (1,024 by default) long before it gets faster.
const maxParallel = 64

// errHelp asks for the usage text and a zero exit.
var errHelp = errors.New("help requested")

// parseFlags reads args (without the program name); the help it was asked
// for goes to help.
func parseFlags(args []string, help io.Writer) (Config, error) {
	var c Config
	var names string
	fs := flag.NewFlagSet("wbfiles", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are printed once, by Main
	fs.BoolVar(&c.Demo, "demo", false, "start a local demo server and open its main run (no key, no network)")
	fs.StringVar(&c.BaseURL, "base-url", "", "W&B API `URL` (overrides WANDB_BASE_URL)")
	fs.StringVar(&c.Dest, "dest", ".", "download `folder`, created with its parents when missing (a file or an unwritable folder is refused)")
	fs.StringVar(&c.ArtifactDest, "artifact-dest", "", "an artifact's files land in `folder` itself instead of --dest/NAME/vN")
	fs.IntVar(&c.PerPage, "per-page", wandb.DefaultPageSize, "files per page request (1-1000)")
	fs.StringVar(&c.Pattern, "pattern", "", "initial server filter, a SQL LIKE `pattern` (% any run, _ one character)")
	fs.StringVar(&names, "names", "", "initial server filter: exact file `names`, comma separated")
	fs.IntVar(&c.Parallel, "parallel", 4, fmt.Sprintf("connections at once (1-%d): files, and idle ones lent to a big file fetched in slices", maxParallel))
	fs.BoolVar(&c.Override, "overwrite", false, "replace local files whose content differs (default: keep them and report)")
	fs.BoolVar(&c.NoColor, "no-color", false, "no colours (also when NO_COLOR is set)")
	fs.BoolVar(&c.Version, "version", false, "print the version and exit")
	fs.BoolVar(&c.Help, "help", false, "show this help")
	fs.BoolVar(&c.Help, "h", false, "show this help")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, errHelp
		}
		return c, err
	}
	if c.Help {
		fmt.Fprint(help, usageText)
		printFlags(fs, help)
		fmt.Fprint(help, exitCodes)
		return c, errHelp
	}
	if c.Version {
		return c, nil
	}
	if names != "" {
		for n := range strings.SplitSeq(names, ",") {
			if n = strings.TrimSpace(n); n != "" {
				c.Names = append(c.Names, n)
			}
		}
		if len(c.Names) == 0 {
			return c, fmt.Errorf("--names %q holds no file name", names)
		}
	}
	switch {
	case len(rest) == 1:
		c.Run = rest[0]
	case len(rest) == 0:
		// The entities of the key's user (the demo: its main run).
	default:
		return c, fmt.Errorf("one RUN expected, got %d arguments: %s", len(rest), strings.Join(rest, " "))
	}
	switch {
	case c.PerPage < 1 || c.PerPage > wandb.MaxPageSize:
		return c, fmt.Errorf("--per-page must be between 1 and %d", wandb.MaxPageSize)
	case c.Parallel < 1 || c.Parallel > maxParallel:
		return c, fmt.Errorf("--parallel must be between 1 and %d", maxParallel)
	case c.Demo && c.BaseURL != "":
		return c, errors.New("--demo runs its own server: leave out --base-url")
	case c.Pattern != "" && len(c.Names) > 0:
		return c, errors.New("--pattern and --names cannot be used together")
	}
	return c, nil
}

// parseInterspersed parses flags wherever they stand, as users type them
// (`wbfiles RUN --dest out`), not only before the first argument as the
// flag package does. Everything after a "--" is an argument.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest, tail []string
	for i, a := range args {
		if a == "--" {
			args, tail = args[:i], args[i+1:]
			break
		}
	}
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return append(rest, tail...), nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

// printFlags lists the flags GNU style (--name), as users type them.
func printFlags(fs *flag.FlagSet, w io.Writer) {
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name == "h" {
			return // shown with --help
		}
		name, usage := flag.UnquoteUsage(f)
		left := "  --" + f.Name
		if f.Name == "help" {
			left = "  -h, --help"
		}
		if name != "" {
			left += " " + name
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "%-24s %s\n", left, usage)
	})
}
