// Command wbfiles is a terminal browser for the files of a Weights &
// Biases run: list, filter, inspect and download them.
package main

import (
	"os"

	"github.com/wbfiles/wbfiles/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.OSEnv()))
}
