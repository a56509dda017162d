using Ferry.Inference.Models;
using Ferry.Server.Grpc.Protocol;
using Google.Protobuf.Collections;
using Grpc.Core;

namespace Ferry.Server.Grpc;

/// <summary>Triton's model repository extension over gRPC: index, load and unload, as REST's <c>/v2/repository</c>.</summary>
internal sealed partial class InferenceGrpcService
{
    public Task<RepositoryIndexResponse> RepositoryIndex(RepositoryIndexRequest request, ServerCallContext context)
    {
        RefuseRepositoryName(request.RepositoryName);
        var response = new RepositoryIndexResponse();
        foreach (var entry in Models.Index(request.Ready))
        {
            response.Models.Add(new RepositoryIndexResponse.Types.ModelIndex
            {
                Name = entry.Name,
                Version = entry.Version,
                State = entry.State.ToProtocolName(),
                Reason = entry.Reason,
            });
        }

        return Task.FromResult(response);
    }

    public async Task<RepositoryModelLoadResponse> RepositoryModelLoad(RepositoryModelLoadRequest request, ServerCallContext context)
    {
        RefuseRepositoryName(request.RepositoryName);
        RequireName(request.ModelName, "model_name");
        RefuseParameters(request.Parameters);
        await Models.LoadAsync(request.ModelName, context.CancellationToken);
        return new RepositoryModelLoadResponse();
    }

    public async Task<RepositoryModelUnloadResponse> RepositoryModelUnload(RepositoryModelUnloadRequest request, ServerCallContext context)
    {
        RefuseRepositoryName(request.RepositoryName);
        RequireName(request.ModelName, "model_name");
        RefuseParameters(request.Parameters);
        await Models.UnloadAsync(request.ModelName, context.CancellationToken);
        return new RepositoryModelUnloadResponse();
    }

    /// <summary>Ferry serves all its repository folders as one, so a name to pick one by would be silently ignored.</summary>
    private static void RefuseRepositoryName(string name)
    {
        if (name.Length > 0)
        {
            throw FerryException.Invalid($"repository_name '{name}' is not supported; Ferry serves all its repositories as one, leave it empty");
        }
    }

    /// <summary>As in REST: no config override or file upload; say so rather than ignore them.</summary>
    private static void RefuseParameters(MapField<string, ModelRepositoryParameter> parameters)
    {
        foreach (var name in parameters.Keys)
        {
            if (name != "unload_dependents")
            {
                throw FerryException.Invalid($"parameter '{name}' is not supported; load reads the model from its repository folder");
            }
        }
    }
}
