package cache

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// Pages can go bad at any time after Open, and the first sign is an error
// deep in some query; every exported method therefore starts with defer
// s.explain(&err), so that whoever shows the error names the file and the
// way out. This test keeps new methods from forgetting it.
func TestEveryMethodExplainsDamage(t *testing.T) {
	exempt := map[string]bool{
		"Close": true, "Path": true, // no query
		"SaveResult": true, // SavePrepared explains
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || !fn.Name.IsExported() || exempt[fn.Name.Name] || !onStore(fn) {
				continue
			}
			if !startsWithExplain(fn) {
				t.Errorf("%s: (*Store).%s does not start with defer s.explain(&err)", fset.Position(fn.Pos()), fn.Name.Name)
			}
		}
	}
}

func onStore(fn *ast.FuncDecl) bool {
	star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	id, ok := star.X.(*ast.Ident)
	return ok && id.Name == "Store"
}

func startsWithExplain(fn *ast.FuncDecl) bool {
	if fn.Body == nil || len(fn.Body.List) == 0 {
		return false
	}
	d, ok := fn.Body.List[0].(*ast.DeferStmt)
	if !ok {
		return false
	}
	sel, ok := d.Call.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "explain"
}
