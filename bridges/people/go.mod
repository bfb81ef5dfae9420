module github.com/mxbridges/mxbridges/bridges/people

go 1.26.8

replace github.com/mxbridges/mxbridges/pkg => ../../pkg
