using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Truto.Mappings.Client;
using Truto.Mappings.Egress;
using Truto.Mappings.Errors;
using Truto.Mappings.Server.Endpoints.Filters;
using Truto.Mappings.Server.Http;
using Truto.Mappings.Server.Jobs;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Endpoints;

/// <summary>
/// Durable batch-delete jobs over HTTP: <c>POST …/batch-delete</c> with <c>Prefer: respond-async</c>
/// starts one (<see cref="StartAsync"/>: the same checks as the synchronous call, then 202 with
/// <c>Location</c>), <c>GET …/batch-delete/jobs/{job_id}</c> reads it and <c>DELETE</c> cancels it.
/// Jobs belong to the environment and tenant of their account: another's job is a 404 exactly like
/// an unknown id.
/// </summary>
public static class BatchJobEndpoints
{
    /// <summary>The jobs' route under a batch method's path.</summary>
    public static string JobRoute(string batchPath) => batchPath + "/jobs/{job_id}";

    /// <summary>Maps GET and DELETE of the jobs of the batch method at <paramref name="batchPath"/>.</summary>
    public static void MapBatchJobEndpoints(this IEndpointRouteBuilder api, string batchPath, string name)
    {
        api.MapGet(JobRoute(batchPath), GetAsync).WithName("Get" + name + "Job").WithMetadata(new BatchJobOperationMetadata(Cancel: false)).RequireScope(ApiScopes.Unified);
        api.MapDelete(JobRoute(batchPath), CancelAsync).WithName("Cancel" + name + "Job").WithMetadata(new BatchJobOperationMetadata(Cancel: true)).RequireScope(ApiScopes.Unified);
    }

    /// <summary>
    /// Starts a job for a batch-delete whose body and account the filters and handler have read:
    /// every check the synchronous call makes before its first provider call answers the same
    /// way here, before a job exists; then the ids are stored and a worker is woken.
    /// </summary>
    public static async Task<IResult> StartAsync(HttpContext http, string method, OperationInput input, JsonNode? callbackUrl)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(input);
        var services = http.RequestServices;
        var call = ResolvedAccount.From(http);
        if (services.GetRequiredService<UnifiedContactsClient>().Check(call.Account, method, input) is { } invalid)
        {
            return UnifiedHttpResult.For(http, invalid);
        }
        if (call.Query.Options.Format is ResponseFormat.Raw or ResponseFormat.Stream)
        {
            return ErrorResponses.Result(TrutoError.BadRequest("truto_response_format",
                "truto_response_format=raw and stream pass one provider answer through, which a job of many calls does not have; use unified or normalized with Prefer: respond-async."));
        }
        string? callback = null;
        if (callbackUrl is not null)
        {
            if (callbackUrl.GetValueKind() != JsonValueKind.String)
            {
                return ErrorResponses.Result(TrutoError.BadRequest("callback_url", "callback_url must be a string: the https URL to POST the finished job to."));
            }
            callback = callbackUrl.GetValue<string>();
            if (services.GetRequiredService<EgressPolicy>().CheckCallbackUrl(callback, "callback_url") is { } refused)
            {
                return ErrorResponses.Result(refused);
            }
            if (services.GetRequiredService<IOptions<JobOptions>>().Value.CallbackSigningSecret is null)
            {
                return ErrorResponses.Result(TrutoError.BadRequest("callback_url",
                    "callback_url cannot be used on this server: callbacks are signed, and Jobs:CallbackSigningSecret is not configured."));
            }
        }
        // The ids the runtime would run: blank ones dropped, each once, in the order given.
        var ids = input.Ids.Where(i => !string.IsNullOrWhiteSpace(i)).Distinct(StringComparer.Ordinal).ToList();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var stored = call.Stored;
        var job = new BatchJob(Guid.NewGuid().ToString(), stored.Environment, stored.TenantId, stored.Id, BatchJobStatus.Queued, http.Request.QueryString.Value ?? "",
            input.RemoteData is { ValueKind: JsonValueKind.Object } remote ? remote.GetRawText() : null, now)
        {
            CallbackUrl = callback,
        };
        var jobs = services.GetRequiredService<IBatchJobStore>();
        await jobs.CreateJobAsync(job, ids, http.RequestAborted);
        Telemetry.JobMetrics.Entered(BatchJobStatus.Queued);
        services.GetRequiredService<JobWakeup>().Notify();
        var created = await jobs.FindJobAsync(job.Id, http.RequestAborted) ?? job;
        var location = http.Request.PathBase + http.Request.Path + "/jobs/" + job.Id;
        return new JobAcceptedResult(location, JobJson.Write(BatchJobResource.ToJson(created, null)));
    }

    private static async Task<IResult> GetAsync([Microsoft.AspNetCore.Mvc.FromRoute(Name = "job_id")] string jobId, HttpContext http, IBatchJobStore jobs)
    {
        if (await FindVisibleAsync(jobs, http, jobId) is not { } job)
        {
            return ErrorResponses.Result(NotFound(jobId));
        }
        return await AnswerAsync(jobs, job, http.RequestAborted);
    }

    private static async Task<IResult> CancelAsync([Microsoft.AspNetCore.Mvc.FromRoute(Name = "job_id")] string jobId, HttpContext http, IBatchJobStore jobs, TimeProvider time)
    {
        if (await FindVisibleAsync(jobs, http, jobId) is not { } job)
        {
            return ErrorResponses.Result(NotFound(jobId));
        }
        var now = time.GetUtcNow();
        if (job.IsFinished || !await jobs.CancelJobAsync(job.Id, now, http.RequestAborted))
        {
            return ErrorResponses.Result(new TrutoError(409, $"The batch-delete job {job.Id} has finished ({(await jobs.FindJobAsync(job.Id, http.RequestAborted))?.Status ?? job.Status}); there is nothing left to cancel."));
        }
        // With nothing in flight the job is done now; otherwise its worker finishes it when the ids in flight are answered.
        await jobs.FinishJobIfDoneAsync(job.Id, now, http.RequestAborted);
        http.RequestServices.GetRequiredService<JobWakeup>().Notify();
        return await AnswerAsync(jobs, (await jobs.FindJobAsync(job.Id, http.RequestAborted))!, http.RequestAborted);
    }

    private static async Task<IResult> AnswerAsync(IBatchJobStore jobs, BatchJob job, CancellationToken cancellationToken)
    {
        var items = job.IsFinished ? await jobs.ListJobItemsAsync(job.Id, cancellationToken) : null;
        return Results.Text(JobJson.Write(BatchJobResource.ToJson(job, items)), TrutoErrorResult.JsonContentType, null, StatusCodes.Status200OK);
    }

    /// <summary>The job when it exists and the caller may see it (its environment; for a tenant-limited token, its tenant).</summary>
    private static async Task<BatchJob?> FindVisibleAsync(IBatchJobStore jobs, HttpContext http, string id)
    {
        var caller = ApiCaller.From(http);
        return await jobs.FindJobAsync(id, http.RequestAborted) is { } job
            && job.Environment == caller.Environment && (caller.TenantId is null || job.TenantId == caller.TenantId)
            ? job
            : null;
    }

    /// <summary>The one answer for a job id the caller cannot use, whether unknown or not theirs.</summary>
    public static TrutoError NotFound(string id) => new(404, $"No batch-delete job with id '{id}'.");
}
