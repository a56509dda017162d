using Ferry.Batch;
using Ferry.Batch.Models;
using Ferry.Server.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ferry.Server.Batch;

/// <summary>The batch job management API: submit, status, cancel. Errors are problem details (RFC 9457).</summary>
public static class BatchEndpoints
{
    public static IEndpointRouteBuilder MapBatchJobs(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/batch/jobs").RequireToken();
        group.MapPost("/", async (BatchJobRequest request, BatchJobService jobs, IModelResolver models, IOptions<BatchJobsOptions> options, CancellationToken ct) =>
        {
            try
            {
                var spec = ToSpec(request, options.Value.DataRoot);
                spec.Validate();

                // Resolved now so that an unknown model, alias or version is refused with 404 before anything is queued.
                await models.ResolveAsync(ModelReference.Parse(spec.Model), ct);
                var job = jobs.Submit(spec);
                return Results.Accepted($"/api/v1/batch/jobs/{job.Id}", Status(job));
            }
            catch (BatchUsageException e)
            {
                return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "invalid batch job");
            }
            catch (FerryException e)
            {
                var status = e.Code switch
                {
                    ErrorCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
                    ErrorCode.NotFound => StatusCodes.Status404NotFound,
                    _ => StatusCodes.Status400BadRequest,
                };
                return Results.Problem(e.Message, statusCode: status, title: e.Code == ErrorCode.NotFound ? "model not found" : "batch job refused");
            }
        });
        group.MapGet("/{id}", (string id, BatchJobService jobs) =>
            jobs.Find(id) is { } job ? Results.Ok(Status(job)) : NotFound(id));
        group.MapPost("/{id}/cancel", (string id, BatchJobService jobs) =>
        {
            if (jobs.Find(id) is not { } job)
            {
                return NotFound(id);
            }

            jobs.Cancel(job);
            return Results.Accepted($"/api/v1/batch/jobs/{job.Id}", Status(job));
        });
        return app;
    }

    private static IResult NotFound(string id) => Results.Problem($"no batch job '{id}'", statusCode: StatusCodes.Status404NotFound, title: "not found");

    private static BatchJobStatus Status(BatchJob job) => new()
    {
        Id = job.Id,
        State = job.State,
        RowsDone = Interlocked.Read(ref job.RowsDone),
        RowsTotal = job.RowsTotal,
        Error = job.Error,
        Summary = job.Summary,
    };

    private static BatchJobSpec ToSpec(BatchJobRequest request, string root)
    {
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            throw FerryException.Invalid("'model' is required");
        }

        return new BatchJobSpec
        {
            Model = request.Model,
            Input = DataPaths.Resolve(root, request.Input, "input"),
            Output = DataPaths.Resolve(root, request.Output, "output"),
            Format = request.Format is { } f ? FileFormats.FromName(f) ?? throw FerryException.Invalid("'format' must be parquet, csv or jsonl") : null,
            Map = request.Map ?? [],
            Keep = request.Keep ?? [],
            Outputs = request.Outputs ?? [],
            OnError = request.OnError is null ? ErrorPolicy.Fail
                : Enum.TryParse<ErrorPolicy>(request.OnError, ignoreCase: true, out var policy) ? policy : throw FerryException.Invalid("'on_error' must be fail, skip or null"),
            Shard = request.Shard is { } s ? ShardSpec.Parse(s) : ShardSpec.Single,
            ChunkRows = request.ChunkRows ?? 65_536,
            Restart = request.Restart,
            Experiment = request.Experiment ?? "batch",
            InputDataset = request.InputDataset,
            RegisterOutput = (request.RegisterOutput, request.RegisterOutputCamelCase) switch
            {
                ({ } a, { } b) when a != b => throw FerryException.Invalid("'register_output' and 'registerOutput' disagree; give one"),
                (var a, var b) => a ?? b,
            },
        };
    }
}
