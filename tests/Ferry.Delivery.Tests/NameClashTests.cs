using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Ferry.Delivery.Tests;

/// <summary>A deployment's name is served at /v2/models/NAME: the registry refuses a new model under it.</summary>
public sealed class NameClashTests
{
    [Fact]
    public async Task RegisterModel_UnderAnExistingDeploymentsName_Is409NamingTheDeploymentAndStoresNothing()
    {
        var server = await DeliveryServer.StartNewAsync();
        try
        {
            var stable = await server.Http.RegisterAsync("scorer", TestModels.Stable());
            (await server.Http.CreateDeploymentAsync($$"""{"name": "fraud", "model": "scorer", "stable_version": {{stable}}, "strategy": "bluegreen"}""")).AssertOk();

            using var content = new ByteArrayContent(TestModels.Good());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await server.Http.PostAsync("/api/v1/registry/versions?name=fraud", content);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("taken by deployment 'fraud'", (string)problem["detail"]!);
            using var model = await server.Http.GetAsync("/api/v1/registry/models/fraud");
            Assert.Equal(HttpStatusCode.NotFound, model.StatusCode);
            // The deployment still answers under its name, from the stable version.
            var answer = await server.Http.InferAsync("fraud", 7, key: "k");
            Assert.True(answer.Ok, answer.Text);
            Assert.Equal(stable.ToString(), answer.Version);
        }
        finally
        {
            await server.StopAsync();
        }
    }
}
