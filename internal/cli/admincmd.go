package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"micuenta/internal/config"
	"micuenta/internal/operator"
)

// adminCmd implements `micuenta admin create-operator`: the way the first
// administrator comes to exist (later ones are created in the back
// office). The password is read from standard input with
// --password-stdin, or generated and printed once.
func adminCmd(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "create-operator" {
		return startup(errors.New("admin: say what to do: `micuenta admin create-operator --email E --name N --role administrador`"))
	}
	var cfg config.Config
	fs := newFlags(env, "admin create-operator", "admin create-operator --email E --name N --role ROLE [--region XX] [--password-stdin]")
	email := fs.String("email", "", "the operator's work e-mail (their sign-in)")
	name := fs.String("name", "", "the operator's full name")
	role := fs.String("role", "", "operador, supervisor, administrador or auditor")
	region := fs.String("region", "", "the state of the country they work, as its two-letter CURP code (DF, JC, NL…); empty for the whole country")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of generating one")
	if err := loadConfig(env, fs, args[1:], &cfg, false); err != nil {
		return err
	}
	password := operator.TemporaryPassword()
	if *fromStdin {
		line, err := bufio.NewReader(stdin(env)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return startup(fmt.Errorf("admin: cannot read the password from standard input: %w", err))
		}
		password = strings.TrimRight(line, "\r\n")
	}
	a, err := openBatchApp(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	o, err := a.Operators.Create(ctx, operator.New{Email: *email, Name: *name, Role: operator.Role(*role), Region: *region, Password: password,
		Temporary: !*fromStdin}, nil, "cli")
	var fe *operator.FieldErrors
	if errors.As(err, &fe) {
		return startup(fmt.Errorf("admin create-operator: %s", flagProblems(fe.Fields)))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created operator %d: %s (%s)\n", o.ID, o.Email, o.Role)
	if !*fromStdin {
		fmt.Fprintf(env.Stdout, "temporary password (shown once; it expires in 72 hours and must be replaced at the first sign-in): %s\n", password)
	}
	fmt.Fprintln(env.Stdout, "at the first sign-in to the back office they enrol an authenticator app (TOTP)")
	return nil
}

// flagProblems words the operator service's field refusals for the
// command line, naming the flag of each.
func flagProblems(fields map[string]string) string {
	flags := map[string]string{"correo": "--email", "nombre": "--name", "rol": "--role", "entidad": "--region", "contrasena": "--password-stdin"}
	english := map[string]string{
		"correo":     "give a valid e-mail address",
		"nombre":     "give the full name (3 to 120 characters)",
		"rol":        "give one of operador, supervisor, administrador, auditor",
		"entidad":    "give a two-letter CURP state code (DF, JC, NL…) or leave it out for the whole country",
		"contrasena": "the password must have 12 to 128 characters",
	}
	var out []string
	for k := range fields {
		msg := english[k]
		if msg == "" {
			msg = fields[k]
		}
		if k == "correo" && strings.Contains(fields[k], "Ya hay") {
			msg = "an operator with that e-mail already exists"
		}
		out = append(out, flags[k]+": "+msg)
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}

func stdin(env Env) io.Reader {
	if env.Stdin != nil {
		return env.Stdin
	}
	return os.Stdin
}
