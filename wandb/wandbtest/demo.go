package wandbtest

// DemoAPIKey is the API key StartDemo accepts.
const DemoAPIKey = "wbfiles-demo-0000000000000000000000000000"

// DemoRun is the reference of the main demo run.
const DemoRun = "wbfiles-demo/llama-finetune/3k9x2p7q"

// DemoRuns returns the demo data.
func DemoRuns() []RunSpec {
	return []RunSpec{{
		Entity: "wbfiles-demo", Project: "llama-finetune", ID: "3k9x2p7q",
		DisplayName: "brisk-sun-42", State: "finished",
		Files: []FileSpec{
			{Name: "config.yaml", Content: []byte("lr:\n  value: 0.0002\n")},
			{Name: "checkpoints/step_1000.pt", Size: 24 << 20},
		},
	}}
}

// StartDemo starts a server with DemoAPIKey and DemoRuns.
func StartDemo() (*Server, error) {
	s, err := Start(Options{APIKey: DemoAPIKey})
	if err != nil {
		return nil, err
	}
	for _, r := range DemoRuns() {
		s.AddRun(r)
	}
	return s, nil
}
