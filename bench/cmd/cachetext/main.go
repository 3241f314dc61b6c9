// Command cachetext prints how many bytes of text a byline cache holds,
// uncompressed: what bench/run.sh divides the file's size by.
//
//	go run ./bench/cmd/cachetext PATH/byline.db
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/bylinehq/byline/cache"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: cachetext PATH/byline.db")
		os.Exit(2)
	}
	store, err := cache.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "cachetext:", err)
		os.Exit(1)
	}
	defer store.Close()
	n, err := store.TextBytes(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "cachetext:", err)
		os.Exit(1)
	}
	fmt.Println(n)
}
