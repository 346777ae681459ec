// Integration tests reach the local DynamoDB server that scripts/test starts.
