using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Describes the portal's contact fields (crm.contact.fields), custom fields included.</summary>
    [Cmdlet(VerbsCommon.Get, "B24ContactField")]
    [OutputType(typeof(CrmFieldInfo))]
    public sealed class GetB24ContactFieldCommand : B24GetFieldCmdlet
    {
        protected override CrmEntity Entity => CrmEntity.Contact;
    }
}
