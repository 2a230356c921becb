// Package deployments holds the container and Home Assistant files. No
// Docker engine runs where the tests run, so these tests check the files
// themselves: they parse, they wire every setting the service reads, and
// they set nothing the service ignores.
package deployments

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/sports-data/sports-data/internal/config"
)

type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       any               `yaml:"build"`
		Command     any               `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		Ports       []string          `yaml:"ports"`
		Volumes     []string          `yaml:"volumes"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

func loadCompose(t *testing.T, path string) composeFile {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var c composeFile
	require.NoError(t, yaml.Unmarshal(b, &c), path)
	return c
}

func TestComposeWiresEverySetting(t *testing.T) {
	c := loadCompose(t, "../docker-compose.yml")
	sd, ok := c.Services["sports-data"]
	require.True(t, ok)
	influx, ok := c.Services["influxdb"]
	require.True(t, ok)
	assert.Equal(t, "influxdb:3-core", influx.Image)
	assert.Contains(t, influx.Command, "serve")
	assert.Contains(t, sd.Ports, "8005:8005")
	assert.Equal(t, "service_healthy", sd.DependsOn["influxdb"].Condition)
	assert.Equal(t, "service_completed_successfully", influx.DependsOn["influxdb-token"].Condition)
	assert.Equal(t, []string{"CMD", "/sports-data", "healthcheck"}, sd.Healthcheck.Test)
	assert.NotEmpty(t, influx.Healthcheck.Test)

	read := config.Variables()
	for _, v := range read {
		// INFLUXDB_BUCKET is the alias of INFLUXDB_DATABASE, which compose sets.
		if v == "INFLUXDB_BUCKET" {
			continue
		}
		assert.Contains(t, sd.Environment, v, "docker-compose.yml does not set %s", v)
	}
	for k := range sd.Environment {
		assert.True(t, slices.Contains(read, k), "docker-compose.yml sets %s, which the service does not read", k)
	}
	assert.Equal(t, "http://influxdb:8181", sd.Environment["INFLUXDB_URL"])
	// Other containers reach the service by its name in the file: the
	// name is always allowed, whatever .env adds.
	assert.True(t, strings.HasPrefix(sd.Environment["ALLOWED_HOSTS"], "sports-data,"), sd.Environment["ALLOWED_HOSTS"])
	_, err := config.Load(func(k string) string {
		if k == "ALLOWED_HOSTS" {
			return "sports-data,"
		}
		return ""
	})
	assert.NoError(t, err, "ALLOWED_HOSTS as compose sets it with an empty .env")
	// The token file the service reads lies in the volume the bootstrap writes.
	tokenFile := sd.Environment["INFLUXDB_TOKEN_FILE"]
	require.True(t, strings.HasPrefix(tokenFile, "/influxdb/"))
	assert.Contains(t, sd.Volumes, "influxdb-data:/influxdb:ro")
	assert.Contains(t, strings.Join(flatten(influx.Command), " "), "/var/lib/influxdb3/"+strings.TrimPrefix(tokenFile, "/influxdb/"))
	for _, vol := range append(sd.Volumes, influx.Volumes...) {
		name := strings.SplitN(vol, ":", 2)[0]
		assert.Contains(t, c.Volumes, name, "volume %s is not declared", name)
	}
}

func flatten(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return nil
}

func TestInfluxDB2VariantReadsOnlyKnownSettings(t *testing.T) {
	c := loadCompose(t, "docker-compose.influxdb2.yml")
	sd, ok := c.Services["sports-data"]
	require.True(t, ok)
	read := config.Variables()
	for k := range sd.Environment {
		assert.True(t, slices.Contains(read, k), "the InfluxDB 2.7 variant sets %s, which the service does not read", k)
	}
	assert.Equal(t, "influxql", sd.Environment["INFLUXDB_QUERY_LANGUAGE"])
	assert.Contains(t, sd.Environment["INFLUXDB_URL"], "8086")
	assert.Contains(t, sd.Environment, "INFLUXDB_BUCKET")
	assert.Contains(t, sd.Environment, "INFLUXDB_ORG")
}

func TestREADMEDocumentsEverySetting(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	readme := string(b)
	for _, v := range config.Variables() {
		assert.True(t, strings.Contains(readme, "`"+v+"`"), "README.md does not document %s", v)
	}
	// And documents nothing the service does not read.
	documented := regexp.MustCompile("(?m)^\\| `([A-Z][A-Z0-9_]+)`").FindAllStringSubmatch(readme, -1)
	require.NotEmpty(t, documented)
	for _, m := range documented {
		assert.Contains(t, config.Variables(), m[1], "README.md documents %s, which the service does not read", m[1])
	}
}

// TestDockerfile checks what a build would rely on: a static build without
// cgo, a non-root user, the data volume, the port and the health check by
// the binary itself.
func TestDockerfile(t *testing.T) {
	f, err := os.Open("../Dockerfile")
	require.NoError(t, err)
	defer f.Close()
	var (
		stages        int
		lines         []string
		lastFrom      string
		copyFromBuild []string
	)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		lines = append(lines, line)
		fields := strings.Fields(line)
		switch strings.ToUpper(fields[0]) {
		case "FROM":
			stages++
			lastFrom = line
		case "COPY":
			if strings.Contains(line, "--from=build") {
				copyFromBuild = append(copyFromBuild, line)
			}
		}
	}
	require.NoError(t, sc.Err())
	all := strings.Join(lines, "\n")
	assert.GreaterOrEqual(t, stages, 2, "multi-stage")
	assert.Equal(t, "FROM scratch", lastFrom, "the final image holds only the binary")
	assert.Contains(t, all, "CGO_ENABLED=0")
	assert.Contains(t, all, "./cmd/sports-data")
	assert.Regexp(t, `(?m)^USER [0-9]+:[0-9]+$`, all)
	assert.NotRegexp(t, `(?m)^USER (0|root)`, all)
	assert.Contains(t, all, `VOLUME ["/data"]`)
	assert.Contains(t, all, "EXPOSE 8005")
	assert.Contains(t, all, `HEALTHCHECK`)
	assert.Contains(t, all, `CMD ["/sports-data", "healthcheck"]`)
	assert.Contains(t, all, "DATA_DIR=/data")
	require.Len(t, copyFromBuild, 3, "certificates, binary and data folder come from the build stage")
	// Every path the build stage copies must exist in the repository.
	for _, line := range lines {
		fields := strings.Fields(line)
		if strings.ToUpper(fields[0]) != "COPY" || strings.Contains(line, "--from=") {
			continue
		}
		for _, src := range fields[1 : len(fields)-1] {
			if src == "." {
				continue
			}
			_, err := os.Stat(filepath.Join("..", src))
			assert.NoError(t, err, "COPY source %s", src)
		}
	}
}
