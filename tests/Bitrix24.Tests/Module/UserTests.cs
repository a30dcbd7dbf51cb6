using System.Linq;
using Bitrix24.Tests.Infrastructure;
using Xunit;

namespace Bitrix24.Tests.Module
{
    /// <summary>Get-B24User over user.get (user/user-get.md): FILTER, ACTIVE, 50 per page.</summary>
    [Collection(SerialCollection.Name)]
    public sealed class UserTests : ModuleTest
    {
        [Fact]
        public void EveryPageOfActiveUsersIsReadInTwoRequests()
        {
            for (var i = 0; i < 120; i++) Portal.AddUser("Worker" + i, "Staff", $"worker{i}@example.com");
            Portal.AddUser("Gone", "Away", "gone@example.com", active: false);
            Portal.ClearLog();

            var active = RunOk("Get-B24User").Output;
            var requests = Portal.HttpRequestCount;
            var all = RunOk("Get-B24User -IncludeInactive").Output;

            Assert.Equal(123, active.Count);   // the demo's three active users and the 120 added
            Assert.Equal(2, requests);          // the first page, then the other two pages in one batch
            Assert.Equal(125, all.Count);
            Assert.Equal("Bitrix24.User", active[0].TypeNames[0]);
            Assert.Equal(active.Select(u => (int)u.Properties["ID"].Value).Distinct().Count(), active.Count);
        }

        [Fact]
        public void UsersAreFoundByEmailNameAndIdAndAnIdThatIsNoActiveUserIsNamed()
        {
            var byEmail = RunOk("Get-B24User -Email MARIA@example.com").Output.Single();
            var byName = RunOk("Get-B24User -Name smirn").Output.Single();
            Portal.ClearLog();
            var byId = Run("1, 7, 15, 99 | Get-B24User");

            Assert.Equal(7, (int)byEmail.Properties["ID"].Value);
            Assert.Equal("Pavel", byName.Properties["NAME"].Value);
            Assert.Equal(new[] { 1, 7 }, byId.Output.Select(u => (int)u.Properties["ID"].Value));
            Assert.Equal(new object[] { 15, 99 }, byId.Errors.Select(e => e.TargetObject));
            Assert.Contains("-IncludeInactive", byId.Errors[0].Exception.Message);
            Assert.Single(Portal.CallsTo("user.get"));   // piped ids in one request
        }
    }
}
