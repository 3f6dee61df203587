module github.com/chatkpi/chatkpi

go 1.23

require github.com/shopspring/decimal v1.6.0

require (
	github.com/stretchr/testify v1.12.1 // indirect
	pgregory.net/rapid v1.3.0 // indirect
)
