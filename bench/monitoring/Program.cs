using Ferry.Bench.Monitoring;

// Two whole-system figures of the monitoring component, each printed as a table with its goal:
//   1. sketches + drift over 1,000,000 logged predictions x 10 features (goal < 1 s), in memory and from segments;
//   2. inference throughput through the real server with the prediction log at 100% vs off (goal: <= 5% cost).
var requests = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
await DriftBench.RunAsync();
await LoggingOverheadBench.RunAsync(requests);
