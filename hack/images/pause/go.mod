module branchflow.io/hack/images/pause

go 1.22
