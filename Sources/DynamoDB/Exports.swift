// Programs that `import DynamoDB` get the AWS layer (configuration, credentials, endpoints) and the
// values and errors of every call with it, as before the AWS layer had a target of its own.
@_exported import AWS
@_exported import DynamoDBModel
