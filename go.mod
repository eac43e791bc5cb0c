module github.com/gssfault/gssfault

go 1.26
