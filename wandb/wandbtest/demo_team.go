package wandbtest

import (
	"fmt"
	"strings"
	"time"
)

// The demo team: an entity the demo user belongs to (viewer.teams lists
// it), with a project of DemoTeamRuns generated runs for a run picker to
// search, and a small second project.
const (
	DemoTeam             = "wbfiles-lab"
	DemoTeamProject      = "vit-ablations"
	DemoTeamRuns         = 300
	DemoTeamSmallProject = "data-pipeline"
	DemoTeamSmallRuns    = 4
)

// teamUsers are the users of the team's runs; the demo user is one.
var teamUsers = []string{DemoEntity, DemoEntity, "alice", "bob", "chen", "dana-k"}

// teamAdjectives and teamNouns make W&B-style run names.
var (
	teamAdjectives = []string{"brisk", "calm", "dashing", "eager", "fluent", "gentle", "hardy", "icy", "jolly",
		"keen", "lucid", "misty", "noble", "olive", "proud", "quiet", "rosy", "sunny", "tidy", "vivid", "wild", "zesty"}
	teamNouns = []string{"aurora", "breeze", "cloud", "dune", "ember", "forest", "glade", "harbor", "island",
		"jungle", "lake", "meadow", "night", "ocean", "pine", "river", "sky", "thunder", "valley", "wave"}
	// teamCustomNames are names people type, with capitals, spaces,
	// slashes, punctuation and non-ASCII letters, for case-insensitive
	// and escaped search.
	teamCustomNames = []string{"ViT-B/16 baseline", "ViT-L/14 baseline", "no mixup", "No-Augment ablation",
		"lr=3e-4 warmup 5k", "label smoothing 0.1", "résumé from ckpt 40k", "BIG batch 4096", "[debug] tiny run",
		"patch 8 (slow)", "drop-path 0.2", "EMA 0.9999"}
)

// teamSweeps are the sweeps of the team project.
var teamSweeps = []string{"k3v8q2mz", "p0w7d4nx", "t6y1r5sb"}

// teamRNG is a splitmix64 stream.
type teamRNG uint64

func (r *teamRNG) next() uint64 { *r += golden; return mix(uint64(*r)) }

// intn returns a number in [0, n).
func (r *teamRNG) intn(n int) int { return int(r.next() % uint64(n)) }

// unit returns a number in [0, 1).
func (r *teamRNG) unit() float64 { return float64(r.next()>>11) / float64(1<<53) }

// teamRuns generates n runs of the team's project from seed, created one
// after the other over span before end: varied names, ids, tags, users,
// states and a small summary, config, config.yaml, output.log and
// wandb-summary.json (which agrees with summaryMetrics) each. It is cheap:
// a few small strings per run.
func teamRuns(project string, n int, seed uint64, end time.Time, span time.Duration) []RunSpec {
	rng := teamRNG(seed)
	const idChars = "abcdefghijklmnopqrstuvwxyz0123456789"
	seen := map[string]bool{}
	runs := make([]RunSpec, 0, n)
	start := end.Add(-span)
	for i := range n {
		var id string
		for id == "" || seen[id] {
			b := make([]byte, 8)
			for k := range b {
				b[k] = idChars[rng.intn(len(idChars))]
			}
			id = string(b)
		}
		seen[id] = true
		created := start.Add(span * time.Duration(i) / time.Duration(n)).
			Add(time.Duration(rng.intn(int(span/time.Duration(n)/time.Second))) * time.Second)
		r := RunSpec{
			Entity: DemoTeam, Project: project, ID: id, CreatedAt: created,
			User:    teamUsers[rng.intn(len(teamUsers))],
			JobType: "train", Host: fmt.Sprintf("gpu-node-%02d", 1+rng.intn(12)),
			Commit: fmt.Sprintf("%016x%016x%08x", rng.next(), rng.next(), uint32(rng.next())),
		}
		// The kind of run: a baseline, an ablation or a sweep trial.
		switch k := rng.intn(20); {
		case k < 3:
			r.Tags, r.Group = []string{"baseline"}, "baseline"
		case k < 10:
			r.Tags, r.Group = []string{"ablation"}, "ablation"
		default:
			sw := teamSweeps[rng.intn(len(teamSweeps))]
			r.Tags, r.Group, r.SweepName, r.JobType = []string{"sweep-" + sw}, "sweep-"+sw, sw, "sweep"
		}
		model := "vit-b16"
		if rng.intn(3) == 0 {
			model = "vit-l14"
		}
		switch rng.intn(4) {
		case 0:
			r.Tags = append(r.Tags, model[:5])
		case 1:
			r.Tags = append(r.Tags, "mixup")
		case 2:
			r.Tags = nil // untagged runs exist too
		}
		if rng.intn(8) == 0 {
			r.DisplayName = teamCustomNames[rng.intn(len(teamCustomNames))]
		} else {
			r.DisplayName = fmt.Sprintf("%s-%s-%d", teamAdjectives[rng.intn(len(teamAdjectives))],
				teamNouns[rng.intn(len(teamNouns))], i+1)
		}
		// The last runs may still be running; older ones ended one way or another.
		steps := 500 + 100*rng.intn(46)
		switch s := rng.intn(100); {
		case i >= n-n/25 && s < 60:
			r.State, steps = "running", steps/3
		case s < 8:
			r.State, steps = "crashed", steps*2/5
		case s < 15:
			r.State, steps = "failed", 40+rng.intn(60)
		case s < 21:
			r.State, steps = "killed", steps/2
		default:
			r.State = "finished"
		}
		lr := []float64{1e-4, 3e-4, 5e-4, 1e-3}[rng.intn(4)]
		batch := []int{256, 512, 1024}[rng.intn(3)]
		mixup := rng.intn(2) == 0
		cfgSeed := rng.intn(10000)
		r.Config = fmt.Sprintf(`{"model": {"value": %q}, "lr": {"value": %g}, "batch_size": {"value": %d}, `+
			`"mixup": {"value": %t}, "max_steps": {"value": %d}, "seed": {"value": %d}}`,
			model, lr, batch, mixup, steps, cfgSeed)
		configYAML := fmt.Sprintf("_wandb:\n  desc: null\n  value:\n    cli_version: 0.21.1\n    python_version: 3.11.9\n"+
			"model:\n  desc: null\n  value: %s\nlr:\n  desc: null\n  value: %g\nbatch_size:\n  desc: null\n  value: %d\n"+
			"mixup:\n  desc: null\n  value: %t\nmax_steps:\n  desc: null\n  value: %d\nseed:\n  desc: null\n  value: %d\n",
			model, lr, batch, mixup, steps, cfgSeed)
		acc := 0.55 + 0.3*rng.unit()
		loss := 0.4 + 1.2*(1-acc) + 0.05*rng.unit()
		secs := int(runtime(steps) / time.Second)
		summary := fmt.Sprintf(`{"_runtime": %d, "_step": %d, "_timestamp": %d, "train/loss": %.4f, "val/accuracy": %.4f, "lr": %g}`+"\n",
			secs, steps, created.Unix()+int64(secs), loss, acc, lr)
		r.Files = []FileSpec{
			text("config.yaml", configYAML),
			text("wandb-summary.json", summary),
			text("output.log", teamLog(r, steps, loss, acc)),
		}
		runs = append(runs, r)
	}
	return runs
}

// teamLog is a team run's short output.log: a line per tenth of its steps,
// ending when the run ended (createdAt plus the summary's _runtime) the
// way its state says.
func teamLog(r RunSpec, steps int, loss, acc float64) string {
	var b strings.Builder
	at := func(d time.Duration) string { return r.CreatedAt.Add(d).Format("2006-01-02 15:04:05") }
	fmt.Fprintf(&b, "%s INFO    run %s (%s) on %s, user %s\n", at(startDelay), r.ID, r.DisplayName, r.Host, r.User)
	fmt.Fprintf(&b, "%s INFO    %d steps\n", at(startDelay+loadTime), steps)
	for k := 1; k <= 10; k++ {
		step := steps * k / 10
		f := 1 + float64(10-k)/5
		fmt.Fprintf(&b, "%s INFO    step %d/%d | loss %.4f | val_acc %.4f\n",
			at(runtime(step)), step, steps, loss*f, acc/f)
	}
	end := at(runtime(steps))
	switch r.State {
	case "finished":
		fmt.Fprintf(&b, "%s INFO    done: val_acc %.4f\n", end, acc)
	case "crashed":
		b.WriteString("Traceback (most recent call last):\n  File \"/workspace/train.py\", line 88, in <module>\n" +
			"RuntimeError: CUDA error: an illegal memory access was encountered\n")
	case "failed":
		b.WriteString("Traceback (most recent call last):\n  File \"/workspace/data.py\", line 31, in load\n" +
			"FileNotFoundError: [Errno 2] No such file or directory: '/data/imagenet/train/shard-0117.tar'\n")
	case "killed":
		fmt.Fprintf(&b, "%s WARNING received SIGTERM, stopping\n", end)
	}
	return b.String()
}
