package wandbtest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
	"time"
)

// noise returns a deterministic value in [-1, 1) for (key, i).
func noise(key string, i int) float64 {
	return float64(mix(seedOf(key)+uint64(i)*golden)>>11)/float64(1<<53)*2 - 1
}

// lossAt is the demo loss curve: fast early drop, slow tail, a little noise.
func lossAt(step int) float64 {
	return 1.04 + 1.38*math.Exp(-float64(step)/520) + 0.035*noise("loss", step)
}

// lrAt is a cosine schedule with 100 warm-up steps.
func lrAt(step, total int) float64 {
	const peak = 2e-4
	if step < 100 {
		return peak * float64(step) / 100
	}
	p := float64(step-100) / float64(max(total-100, 1))
	return peak * 0.5 * (1 + math.Cos(math.Pi*p))
}

// The pace of a demo run: its log starts startDelay after the run was
// created, loading the model takes loadTime, and each step stepTime, so
// a run of n steps ends runtime(n) after it was created (the summary's
// _runtime, and when an ended run last beat).
const (
	startDelay = 9 * time.Second
	loadTime   = 4 * 6 * time.Second // four checkpoint shards
	stepTime   = 9 * time.Second
)

// runtime is how long a run of steps steps lasts.
func runtime(steps int) time.Duration {
	return startDelay + loadTime + time.Duration(steps)*stepTime
}

// trainingLog renders output.log of a run created at created, in state
// "finished", "crashed" or "running": startup banner, a line per step, an
// eval block every 500 steps, and then a clean end, a CUDA OOM traceback,
// or nothing yet.
func trainingLog(steps int, state string, created time.Time) string {
	var b strings.Builder
	start := created.Add(startDelay)
	t := start
	ts := func() string { return t.Format("2006-01-02 15:04:05") }
	fmt.Fprintf(&b, "%s,104 INFO    Loading tokenizer from meta-llama/Llama-3.1-8B-Instruct\n", ts())
	fmt.Fprintf(&b, "%s,882 INFO    Loading model weights (4 shards)\n", ts())
	for i := 1; i <= 4; i++ {
		t = t.Add(6 * time.Second)
		fmt.Fprintf(&b, "Loading checkpoint shards: %3d%%|%s| %d/4 [00:%02d<00:00,  6.1s/it]\n",
			i*25, strings.Repeat("█", i*5)+strings.Repeat(" ", 20-i*5), i, i*6)
	}
	fmt.Fprintf(&b, "%s,017 INFO    trainable params: 41,943,040 || all params: 8,072,204,288 || trainable%%: 0.5196\n", ts())
	fmt.Fprintf(&b, "%s,311 INFO    Dataset instruct-mix-v3: 182,344 train / 4,000 eval examples\n", ts())
	fmt.Fprintf(&b, "%s,312 INFO    Starting training: %d steps, batch 32 (8 x 4 accumulation), bf16\n", ts(), steps)
	for step := 1; step <= steps; step++ {
		// Jitter around the pace, not accumulated, so the log ends when
		// the run does.
		t = start.Add(loadTime + time.Duration(step)*stepTime + time.Duration(400*noise("t", step))*time.Millisecond)
		fmt.Fprintf(&b, "%s INFO    step %5d/%d | loss %.4f | lr %.3e | grad_norm %.3f | tok/s %5.0f | mem 71.%dGB\n",
			ts(), step, steps, lossAt(step), lrAt(step, steps), 0.42+0.1*noise("g", step),
			14120+380*noise("tps", step), 2+int(3*(1+noise("m", step))))
		if step%500 == 0 {
			fmt.Fprintf(&b, "%s INFO    ***** Running evaluation at step %d *****\n", ts(), step)
			fmt.Fprintf(&b, "%s INFO      eval_loss = %.4f\n", ts(), lossAt(step)+0.06)
			fmt.Fprintf(&b, "%s INFO      eval_accuracy = %.4f\n", ts(), 0.41+0.2*(1-math.Exp(-float64(step)/700)))
			fmt.Fprintf(&b, "%s INFO    Saving checkpoint to checkpoints/step_%05d\n", ts(), step)
		}
		if state == "crashed" && step == steps {
			fmt.Fprintf(&b, "Traceback (most recent call last):\n")
			fmt.Fprintf(&b, "  File \"/workspace/code/train.py\", line 142, in <module>\n    main()\n")
			fmt.Fprintf(&b, "  File \"/workspace/code/train.py\", line 118, in main\n    loss.backward()\n")
			fmt.Fprintf(&b, "  File \"/usr/local/lib/python3.11/site-packages/torch/_tensor.py\", line 581, in backward\n")
			fmt.Fprintf(&b, "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.15 GiB of which 1.21 GiB is free.\n")
			return b.String()
		}
	}
	if state == "running" {
		return b.String()
	}
	fmt.Fprintf(&b, "%s INFO    Training finished in %s\n", ts(), t.Sub(start).Round(time.Second))
	fmt.Fprintf(&b, "%s INFO    Final eval_loss %.4f\n", ts(), lossAt(steps)+0.06)
	return b.String()
}

// summaryJSON is wandb-summary.json after steps steps of a run created at
// created.
func summaryJSON(steps int, created time.Time) string {
	secs := int(runtime(steps) / time.Second)
	return fmt.Sprintf(`{"_runtime": %d, "_step": %d, "_timestamp": %d.%03d, "train/loss": %.4f, `+
		`"train/learning_rate": %.3e, "train/grad_norm": %.3f, "eval/loss": %.4f, "eval/accuracy": %.4f, `+
		`"train/epoch": %.2f, "_wandb": {"runtime": %d}}`+"\n",
		secs, steps, created.Unix()+int64(secs), steps%1000, lossAt(steps), lrAt(steps, steps),
		0.42+0.1*noise("g", steps), lossAt(steps)+0.06, 0.41+0.2*(1-math.Exp(-float64(steps)/700)),
		float64(steps)/1000, secs)
}

// eventsJSONL is wandb-events.jsonl: system metrics every 30 s.
func eventsJSONL(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `{"system.gpu.0.gpu": %.1f, "system.gpu.0.memory": %.1f, "system.cpu": %.1f, "_runtime": %d, "_timestamp": %d}`+"\n",
			92+6*noise("gpu", i), 88+3*noise("mem", i), 14+5*noise("cpu", i), 30*i, 1786946600+30*i)
	}
	return b.String()
}

// predictionsTable is a W&B table of eval predictions.
func predictionsTable(step int) string {
	prompts := []string{"What is 17 * 23?", "Translate 'good morning' to German.",
		"Name the capital of Australia.", "Summarize: The cat sat on the mat.",
		"Is 221 prime?", "Write a haiku about gradients."}
	answers := []string{"391", "Guten Morgen", "Canberra", "A cat sat on a mat.", "No, 13 * 17", "Slopes guide the way / ..."}
	var rows []string
	for i, p := range prompts {
		ok := noise("pred", step*10+i) > -0.4
		rows = append(rows, fmt.Sprintf(`[%d, %q, %q, %t]`, i, p, answers[i], ok))
	}
	return `{"_type": "table", "columns": ["id", "prompt", "prediction", "correct"], "data": [` +
		strings.Join(rows, ", ") + `], "ncols": 4, "nrows": ` + fmt.Sprint(len(rows)) + "}\n"
}

// demoPNG draws a small deterministic gradient image, so a viewer that
// previews images gets a real PNG.
func demoPNG(name string, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	s := seedOf(name)
	r0, g0, b0 := uint8(s), uint8(s>>8), uint8(s>>16)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, color.NRGBA{
				R: r0 + uint8(x*255/w), G: g0 + uint8(y*255/h), B: b0 ^ uint8(x*y), A: 255,
			})
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}
