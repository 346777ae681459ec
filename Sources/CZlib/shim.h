// zlib's gzip file functions: item files read whether or not they are gzip-compressed (DynamoDB's own
// exports are `.json.gz`), and written compressed when their name ends in `.gz`.
#include <zlib.h>
