using System.Linq;
using System.Management.Automation;
using Bitrix24.Tests.Infrastructure;
using Xunit;

namespace Bitrix24.Tests.Module
{
    /// <summary>Each kind of Bitrix24 failure becomes an ErrorRecord with the right id and category.</summary>
    public sealed class ErrorMappingTests : ModuleTest
    {
        private ErrorRecord SingleError(string script)
        {
            var result = Run(script);
            Assert.Null(result.Terminated);
            Assert.DoesNotContain(Secret, result.AllText());
            return Assert.Single(result.Errors);
        }

        [Fact]
        public void AnInvalidIdIsInvalidArgumentWithTheServersText()
        {
            var error = SingleError("Invoke-B24Method crm.lead.update @{ id = 'abc'; fields = @{ TITLE = 'x' } }");

            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.StartsWith("Bitrix24.InvalidId,", error.FullyQualifiedErrorId);
            Assert.Equal("ID is not defined or invalid.", error.ErrorDetails.Message);
        }

        [Fact]
        public void NotFoundFromGetIsObjectNotFound()
        {
            var error = SingleError("Get-B24Lead -Id 424242");

            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal("Not found", error.ErrorDetails.Message);
            Assert.Equal(424242, error.TargetObject);
        }

        [Theory]
        [InlineData(503, "OVERLOAD_LIMIT", "REST API is blocked due to overload.", ErrorCategory.LimitsExceeded)]
        [InlineData(403, "INVALID_CREDENTIALS", "Invalid request credentials", ErrorCategory.PermissionDenied)]
        [InlineData(403, "insufficient_scope", "The request requires higher privileges than provided by the webhook token", ErrorCategory.PermissionDenied)]
        [InlineData(403, "ACCESS_DENIED", "REST API is available only on commercial plans.", ErrorCategory.PermissionDenied)]
        [InlineData(401, "NO_AUTH_FOUND", "Wrong authorization data", ErrorCategory.AuthenticationError)]
        public void ErrorsThatRetryingCannotFixMapToTheirCategoryAtOnce(int status, string code, string text, ErrorCategory category)
        {
            var id = AddLead("t");
            Portal.FailNext(status, code, text);

            var error = SingleError($"Set-B24Lead -Id {id} -Title x");

            Assert.Equal(category, error.CategoryInfo.Category);
            Assert.StartsWith($"Bitrix24.{code},", error.FullyQualifiedErrorId);
            Assert.Equal(text, error.ErrorDetails.Message);
            Assert.Equal(id, error.TargetObject);
            Assert.Contains($"HTTP {status}", error.Exception.Message);
            Assert.Equal(1, Portal.HttpRequestCount);   // not retried
            Assert.Equal("t", (string)Portal.GetLead(id)["TITLE"]);
        }

        [Fact]
        public void AServerErrorIsRetriedAndTheLeadIsUpdated()
        {
            var id = AddLead("t");
            Portal.FailNext(500, "INTERNAL_SERVER_ERROR", "Internal server error", count: 2);

            var result = Run($"Set-B24Lead -Id {id} -Title retried -Verbose");

            Assert.Empty(result.Errors);
            Assert.Equal("retried", (string)Portal.GetLead(id)["TITLE"]);
            Assert.Contains(result.Verbose, v => v.Contains("INTERNAL_SERVER_ERROR") && v.Contains("retrying"));
        }

        [Fact]
        public void AServerErrorThatOutlastsTheRetriesIsReportedAsAConnectionError()
        {
            var id = AddLead("t");
            Run($"Connect-Bitrix24 -WebhookUrl '{Server.WebhookUrl}' -RetryCount 1").ThrowIfFailed();
            Portal.ClearLog();
            Portal.FailNext(500, "INTERNAL_SERVER_ERROR", "Internal server error", count: 2);

            var error = SingleError($"Set-B24Lead -Id {id} -Title x");

            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.StartsWith("Bitrix24.INTERNAL_SERVER_ERROR,", error.FullyQualifiedErrorId);
            Assert.Equal(id, error.TargetObject);
            Assert.Equal(2, Portal.HttpRequestCount);
        }

        [Fact]
        public void ARateLimitAnswerIsWaitedOutNotReported()
        {
            var id = AddLead("t");
            Portal.FailNext(503, "QUERY_LIMIT_EXCEEDED", "Too many requests");

            var result = Run($"Set-B24Lead -Id {id} -Title paced -Verbose");

            Assert.Empty(result.Errors);
            Assert.Equal("paced", (string)Portal.GetLead(id)["TITLE"]);
            Assert.Contains(result.Verbose, v => v.Contains("QUERY_LIMIT_EXCEEDED"));
        }

        [Theory]
        [InlineData(200, ErrorCategory.InvalidResult, "Bitrix24.INVALID_RESPONSE")]        // a 200 that is not JSON
        [InlineData(502, ErrorCategory.ConnectionError, "Bitrix24.INTERNAL_SERVER_ERROR")]   // a proxy's page: a server fault
        public void AnHtmlPageInsteadOfJsonIsAClearErrorNotAParserCrash(int status, ErrorCategory category, string errorId)
        {
            var id = AddLead("t");
            Run($"Connect-Bitrix24 -WebhookUrl '{Server.WebhookUrl}' -RetryCount 0").ThrowIfFailed();
            Portal.AnswerNextWithHtml(status, "<html><body><h1>Bad Gateway</h1><p>nginx</p></body></html>");

            var error = SingleError($"Set-B24Lead -Id {id} -Title x");

            Assert.Equal(category, error.CategoryInfo.Category);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Contains($"HTTP {status}", error.Exception.Message);
            Assert.Contains("text/html", error.Exception.Message);
            Assert.Contains("Bad Gateway nginx", error.Exception.Message);
            Assert.DoesNotContain("JsonReader", error.Exception.ToString());
        }

        [Fact]
        public void AnUnreachablePortalIsAConnectionErrorThatDoesNotQuoteTheUrl()
        {
            var url = Server.WebhookUrl;
            Server.Dispose();

            var error = SingleError($"Connect-Bitrix24 -WebhookUrl '{url}' -SkipCheck -RetryCount 0; Set-B24Lead -Id 5 -Title x");

            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.StartsWith("Bitrix24.NETWORK_ERROR,", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void ErrorActionStopTurnsAPerLeadErrorIntoAStop()
        {
            var result = Run("Set-B24Lead -Id 777777 -Title x -ErrorAction Stop; 'after'");

            Assert.NotNull(result.Terminated);
            Assert.DoesNotContain(result.Output, o => o.ToString() == "after");
        }
    }
}
