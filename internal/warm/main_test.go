package warm
import (
 _ "github.com/go-chi/chi/v5"
 _ "github.com/kelseyhightower/envconfig"
 _ "github.com/InfluxCommunity/influxdb3-go/v2/influxdb3"
 _ "github.com/sony/gobreaker/v2"
 _ "golang.org/x/time/rate"
 _ "github.com/stretchr/testify/require"
 _ "modernc.org/sqlite"
 _ "github.com/prometheus/client_golang/prometheus"
 "testing"
)
func TestX(t *testing.T){}
