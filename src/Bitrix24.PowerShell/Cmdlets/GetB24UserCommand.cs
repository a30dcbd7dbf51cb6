using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Completers;
using Bitrix24.Rest.Users;
using Newtonsoft.Json.Linq;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>
    /// Lists the portal's users (user.get): by id, by e-mail, by name, or by any user.get filter; active users unless
    /// -IncludeInactive. Every page is read (50 users each; the pages after the first go 50 to a batch request).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "B24User", DefaultParameterSetName = FilterSet)]
    [OutputType("Bitrix24.User")]
    public sealed class GetB24UserCommand : B24ConnectedCmdlet
    {
        private const string IdSet = "Id";
        private const string EmailSet = "Email";
        private const string NameSet = "Name";
        private const string FilterSet = "Filter";

        /// <summary>User ids (piped numbers too).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(UserIdCompleter))]
        [ValidateRange(1, int.MaxValue)]
        public int[] Id { get; set; }

        /// <summary>E-mail addresses (exact, without regard to case).</summary>
        [Parameter(Mandatory = true, ParameterSetName = EmailSet)]
        public string[] Email { get; set; }

        /// <summary>Part of a name, last name or e-mail (user.get's NAME_SEARCH).</summary>
        [Parameter(Mandatory = true, ParameterSetName = NameSet)]
        public string Name { get; set; }

        /// <summary>user.get's FILTER: any user field, with its prefixes (e.g. @{ WORK_POSITION = 'Manager'; '!UF_DEPARTMENT' = 3 }).</summary>
        [Parameter(Position = 0, ParameterSetName = FilterSet)]
        public IDictionary Filter { get; set; }

        /// <summary>Dismissed users too (user.get leaves them in unless ACTIVE is filtered).</summary>
        [Parameter]
        public SwitchParameter IncludeInactive { get; set; }

        private readonly System.Collections.Generic.List<int> _ids = new System.Collections.Generic.List<int>();

        /// <summary>Piped ids are gathered: one user.get asks for all of them.</summary>
        protected override void ProcessRecord()
        {
            if (ParameterSetName == IdSet) _ids.AddRange(Id);
        }

        protected override void EndProcessing()
        {
            var ids = _ids.Distinct().ToList();
            JObject filter;
            switch (ParameterSetName)
            {
                case IdSet: filter = new JObject { ["@ID"] = new JArray(ids) }; break;
                case EmailSet: filter = new JObject { ["@EMAIL"] = new JArray(Email.Distinct(StringComparer.OrdinalIgnoreCase)) }; break;
                case NameSet: filter = new JObject { ["NAME_SEARCH"] = Name }; break;
                default: filter = Filter == null ? null : JObject.FromObject(PSValue.Pairs(Filter).ToDictionary(p => p.Key, p => PSValue.Unwrap(p.Value))); break;
            }
            try
            {
                var users = Await((cancel, log) => new UserDirectory(ActiveConnection.Client).ListAsync(filter, IncludeInactive, cancel, log));
                foreach (var user in users) WriteObject(UserObject(user));
                if (ParameterSetName == IdSet)
                    foreach (var missing in ids.Where(id => !users.Any(u => (string)u["ID"] == id.ToString(System.Globalization.CultureInfo.InvariantCulture))))
                        WriteB24Error(new Bitrix24.Rest.Transport.Bitrix24Exception("user.get", "NOT_FOUND",
                            $"User {missing} is not {(IncludeInactive ? "a user of this portal" : "an active user of this portal (-IncludeInactive lists dismissed users too)")}.", 400), missing);
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteB24Error(ex, ActiveConnection.Portal);
            }
        }

        private static PSObject UserObject(JObject user)
        {
            var result = new PSObject();
            result.TypeNames.Insert(0, "Bitrix24.User");
            foreach (var property in user.Properties())
                result.Properties.Add(new PSNoteProperty(property.Name, property.Name == "ID" && int.TryParse((string)property.Value, out var id) ? id : PSValue.FromJson(property.Value)));
            return result;
        }
    }
}
