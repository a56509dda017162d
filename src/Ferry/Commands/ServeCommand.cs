using System.CommandLine;
using Ferry.Inference;
using Ferry.Monitoring.Alerts;
using Ferry.Server;
using Ferry.Server.Hosting;
using Ferry.Server.Registry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry serve</c>: the inference server.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var httpPort = new Option<int>("--http-port") { Description = "Port for REST, /metrics and the management API (0 picks a free one).", DefaultValueFactory = _ => 8000 };
        var grpcPort = new Option<int>("--grpc-port") { Description = "Port for gRPC over HTTP/2 (0 picks a free one, -1 turns gRPC off).", DefaultValueFactory = _ => 8001 };
        var host = new Option<string>("--host") { Description = "Address to listen on: 127.0.0.1 (default), 0.0.0.0 for every interface.", DefaultValueFactory = _ => "127.0.0.1" };
        var repositories = new Option<string[]>("--model-repository") { Description = "A model repository folder in Triton's layout; repeat for several. Default: <home>/models with the example model.", Arity = ArgumentArity.ZeroOrMore };
        var home = new Option<string>("--home") { Description = "Where Ferry keeps its state (default ~/.ferry, or $FERRY_HOME).", DefaultValueFactory = _ => ServerOptions.DefaultHome() };
        var maxBody = new Option<long>("--max-request-bytes") { Description = "Largest request body accepted; larger ones get 413.", DefaultValueFactory = _ => new ServerOptions().MaxRequestBodyBytes };
        var intraOp = new Option<int>("--intra-op-threads") { Description = "ONNX Runtime threads inside one operator (default: the number of cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var interOp = new Option<int>("--inter-op-threads") { Description = "ONNX Runtime threads across operators (default 1).", DefaultValueFactory = _ => 1 };
        var logRate = new Option<double?>("--log-sample-rate") { Description = "Share of requests written to the prediction log, 0 to 1 (default 1, or Ferry:PredictionLog:SampleRate)." };
        var store = new Option<string?>("--store") { Description = "The registry's metadata store: a postgresql:// URI or connection string, or sqlite:PATH (default SQLite at <home>/ferry.db)." };
        var blobs = new Option<string?>("--blobs") { Description = "The registry's blob folder (default <home>/blobs); replicas must share it." };
        var defaultAlias = new Option<string>("--default-alias") { Description = "The alias served at /v2/models/{name} for registered models.", DefaultValueFactory = _ => "champion" };
        var auth = new Option<bool>("--auth") { Description = "Require bearer tokens for the management API (reader for reads, writer for changes)." };
        var protectInference = new Option<bool>("--protect-inference") { Description = "With --auth, require a reader token for inference too." };
        var otlp = new Option<string?>("--otlp-endpoint") { Description = "Export traces by OTLP to this collector (http://HOST:4318/v1/traces, or http://HOST:4317 for gRPC); default $OTEL_EXPORTER_OTLP_ENDPOINT, else off." };
        var webhooks = new Option<string[]>("--webhook") { Description = "POST alert and deployment events to this URL, signed with HMAC-SHA256 using $FERRY_WEBHOOK_SECRET; repeat for several (more settings under Ferry:Webhooks).", Arity = ArgumentArity.ZeroOrMore };
        var alertRules = new Option<string?>("--alert-rules") { Description = "A JSON file of alert rules (drift, performance, error rate, latency, staleness) evaluated in the background." };
        var inlineIo = new Option<bool>("--inline-io") { Description = "Run request handlers on the socket threads, not the thread pool: cheaper for models that answer in microseconds, but a slow request holds up other connections on its socket thread." };
        var maxUpload = new Option<long>("--max-upload-bytes") { Description = "Largest model file accepted by the registry API; larger ones get 413.", DefaultValueFactory = _ => new RegistryOptions().MaxUploadBytes };

        var command = new Command("serve", "Serve models over the Open Inference Protocol (REST and gRPC).")
        {
            httpPort, grpcPort, host, repositories, home, maxBody, intraOp, interOp, store, blobs, defaultAlias, auth, protectInference, maxUpload, logRate, alertRules, otlp, webhooks, inlineIo,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var server = new ServerOptions
            {
                Host = result.GetValue(host)!,
                HttpPort = result.GetValue(httpPort),
                GrpcPort = result.GetValue(grpcPort),
                MaxRequestBodyBytes = result.GetValue(maxBody),
                Home = Path.GetFullPath(result.GetValue(home)!),
                OtlpEndpoint = result.GetValue(otlp),
                InlineIo = result.GetValue(inlineIo),
            };
            if (result.GetValue(httpPort) is < 0 or > 65535)
            {
                await Console.Error.WriteLineAsync($"ferry serve: --http-port must be between 0 and 65535, not {result.GetValue(httpPort)}");
                return ExitCodes.Usage;
            }

            if (result.GetValue(grpcPort) is < -1 or > 65535)
            {
                await Console.Error.WriteLineAsync($"ferry serve: --grpc-port must be between 0 and 65535, or -1 for no gRPC, not {result.GetValue(grpcPort)}");
                return ExitCodes.Usage;
            }

            var repos = result.GetValue(repositories) ?? [];
            if (repos.Length == 0)
            {
                repos = [await ExampleModel.EnsureRepositoryAsync(server.Home, cancellationToken)];
            }

            var missing = repos.Where(r => !Directory.Exists(r)).ToArray();
            if (missing.Length > 0)
            {
                await Console.Error.WriteLineAsync($"ferry serve: no such model repository: {string.Join(", ", missing)}");
                return ExitCodes.Usage;
            }

            var inference = new InferenceOptions
            {
                ModelRepositories = repos.Select(Path.GetFullPath).ToList(),
                IntraOpThreads = result.GetValue(intraOp),
                InterOpThreads = result.GetValue(interOp),
            };
            var rate = result.GetValue(logRate);
            if (rate is < 0 or > 1)
            {
                await Console.Error.WriteLineAsync($"ferry serve: --log-sample-rate must be between 0 and 1, not {rate}");
                return ExitCodes.Usage;
            }

            if (result.GetValue(otlp) is { } endpoint && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var otlpUri) && otlpUri.Scheme is "http" or "https"))
            {
                await Console.Error.WriteLineAsync($"ferry serve: --otlp-endpoint must be an http:// or https:// URL, not '{endpoint}'");
                return ExitCodes.Usage;
            }

            if ((result.GetValue(webhooks) ?? []).Length > 0 && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("FERRY_WEBHOOK_SECRET")))
            {
                await Console.Error.WriteLineAsync("ferry serve: --webhook needs $FERRY_WEBHOOK_SECRET: receivers verify each event's signature with it");
                return ExitCodes.Usage;
            }

            var alerts = new AlertOptions();
            if (result.GetValue(alertRules) is { } rulesPath)
            {
                try
                {
                    AlertRulesFile.Apply(rulesPath, alerts);
                }
                catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
                {
                    await Console.Error.WriteLineAsync($"ferry serve: --alert-rules: {e.Message}");
                    return ExitCodes.Usage;
                }
            }

            var registry = new RegistryOptions
            {
                Store = result.GetValue(store),
                BlobsDirectory = result.GetValue(blobs),
                DefaultAlias = result.GetValue(defaultAlias)!,
                Auth = result.GetValue(auth),
                ProtectInference = result.GetValue(protectInference),
                MaxUploadBytes = result.GetValue(maxUpload),
            };
            await using var backend = await RegistryBackend.OpenAsync(server.Home, registry, null, cancellationToken);
            await using var app = FerryHost.Create(server, inference, builder =>
            {
                builder.Services.AddFerryRegistry(backend, registry);
                var hooks = result.GetValue(webhooks) ?? [];
                for (var i = 0; i < hooks.Length; i++)
                {
                    builder.Configuration[$"Ferry:Webhooks:Endpoints:{i}:Url"] = hooks[i];
                    builder.Configuration[$"Ferry:Webhooks:Endpoints:{i}:Secret"] = Environment.GetEnvironmentVariable("FERRY_WEBHOOK_SECRET") ?? "";
                }

                if (alerts.Rules.Count > 0)
                {
                    builder.Services.Configure<AlertOptions>(o =>
                    {
                        o.Rules.AddRange(alerts.Rules);
                        o.EvaluationInterval = alerts.EvaluationInterval;
                    });
                }
                // Ferry:Delivery:KeyHeader and Ferry:Delivery:ControllerInterval (environment: Ferry__Delivery__KeyHeader...).
                var delivery = builder.Configuration.GetSection(Ferry.Delivery.DeliveryOptions.Section).Get<Ferry.Delivery.DeliveryOptions>() ?? new();
                builder.Services.Replace(ServiceDescriptor.Singleton(delivery));
                if (rate is { } r)
                {
                    builder.Configuration["Ferry:PredictionLog:SampleRate"] = r.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            });
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException e)
            {
                // Kestrel could not listen (a port in use, say). The model loader has started and may be inside ONNX
                // Runtime: stop it before the sessions and the process go (exiting under it crashed now and then).
                await app.StopAsync(CancellationToken.None);
                await Console.Error.WriteLineAsync($"ferry serve: {e.Message}");
                return ExitCodes.Failed;
            }

            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
