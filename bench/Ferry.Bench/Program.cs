using Ferry.Bench;

// Whole-system benchmark helpers; bench/serving/run.sh drives them. Not part of the product.
return args.FirstOrDefault() switch
{
    "ceiling" => await CeilingServer.RunAsync(args[1..]),
    "raw" => RawOnnxRuntime.Run(args[1..]),
    "batch-raw" => await RawBatch.RunAsync(args[1..]),
    "train-flights" => TrainFlights.Run(args[1..]),
    "image-request" => MakeImageRequest.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: Ferry.Bench train-flights --data flights-200k.json --out DIR
               Ferry.Bench image-request --out DIR [--input x] [--shape 1,3,48,192]
               Ferry.Bench ceiling --port P --response FILE
               Ferry.Bench raw --model FILE --request FILE --seconds S [--concurrency C] [--threads T]
               Ferry.Bench batch-raw --model FILE --input FILE.parquet --feed COLUMN=INPUT,...
        """);
    return 2;
}
