using System.Net;
using Ferry.Inference;
using Ferry.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ferry.Server.Tests.Rest;

/// <summary>
/// A failure nobody expected (here a prediction log that throws) is answered 500 in the protocol's shape, to each
/// caller, whether the request ran at once or waited in a batch; the inference handler answers it itself, since the
/// exception middleware no longer watches a request that waits in a batch.
/// </summary>
public sealed class UnexpectedErrorTests : IClassFixture<UnexpectedErrorTests.FaultyLogFixture>
{
    private readonly FaultyLogFixture _server;

    public UnexpectedErrorTests(FaultyLogFixture server)
    {
        _server = server;
    }

    [Theory]
    [InlineData("faulty_plain")]
    [InlineData("faulty_batched")]
    public async Task Infer_LogThrowsAfterTheModelRan_500WithTheErrorShape_AndTheServerServesOn(string model)
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            _server.Http.PostJsonAsync($"/v2/models/{model}/infer", RestCalls.AddRequest())));

        Assert.All(answers, a =>
        {
            Assert.Equal(HttpStatusCode.InternalServerError, a.Status);
            Assert.Equal("internal error: the prediction log broke", (string?)a.Json!["error"]);
        });
        var healthy = await _server.Http.PostJsonAsync("/v2/models/plain/infer", RestCalls.AddRequest());
        Assert.Equal(HttpStatusCode.OK, healthy.Status);
        Assert.Equal(11f, (float)healthy.Json!["outputs"]![0]!["data"]![0]!);
    }

    [Fact]
    public async Task Infer_LogThrowsBeforeTheModelRan_500WithTheErrorShape()
    {
        var answer = await _server.Http.PostJsonAsync("/v2/models/faulty_early/infer", RestCalls.AddRequest());

        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        Assert.Equal("internal error: the prediction log broke early", (string?)answer.Json!["error"]);
    }

    public sealed class FaultyLogFixture : FerryServerFixture, IAsyncLifetime
    {
        Task IAsyncLifetime.InitializeAsync() => StartAsync();

        Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

        protected override void WriteModels(string repository)
        {
            OnnxModelBuilder.AddFloats().WriteTo(repository, "plain");
            OnnxModelBuilder.AddFloats().WriteTo(repository, "faulty_plain");
            OnnxModelBuilder.AddFloats().WriteTo(repository, "faulty_early");
            // Requests wait up to 2 ms for company: the handler is suspended when the failure comes.
            OnnxModelBuilder.AddFloats().WriteTo(repository, "faulty_batched");
            File.WriteAllText(Path.Combine(repository, "faulty_batched", "config.json"), """
                {"max_batch_size": 16, "dynamic_batching": {"max_queue_delay_microseconds": 2000}}
                """);
        }

        protected override void ConfigureServer(WebApplicationBuilder builder) =>
            builder.Services.Replace(ServiceDescriptor.Singleton<IPredictionTap>(new FaultyLog()));
    }

    /// <summary>A prediction log with a bug: it throws for the models named faulty_*.</summary>
    private sealed class FaultyLog : IPredictionTap
    {
        public bool Wants(string model) => model == "faulty_early"
            ? throw new InvalidOperationException("the prediction log broke early")
            : model.StartsWith("faulty_", StringComparison.Ordinal);

        public void Observe(PredictionEvent prediction) => throw new InvalidOperationException("the prediction log broke");
    }
}
