using BenchmarkDotNet.Running;

// Micro figures for the codec and the batcher: dotnet run -c Release --project bench/Ferry.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
