module github.com/chatkpi/chatkpi/sources/chatwoot

go 1.25.0

replace github.com/chatkpi/chatkpi => ../..

require (
	github.com/chatkpi/chatkpi v0.0.0-00010101000000-000000000000
	github.com/jackc/pgx/v5 v5.12.0
	pgregory.net/rapid v1.3.0
)

require (
	github.com/DataDog/sketches-go v1.4.8 // indirect
	github.com/jackc/pgpassfile v1.0.0 // indirect
	github.com/jackc/pgservicefile v0.0.0-20240606120523-5a60cdf6a761 // indirect
	github.com/shopspring/decimal v1.6.0 // indirect
	golang.org/x/text v0.41.0 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
)
