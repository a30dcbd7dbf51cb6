using System;
using System.Globalization;

namespace Bitrix24.PowerShell.Parameters
{
    /// <summary>
    /// A user named by id or by e-mail address: -AssignedById 7 and -AssignedById maria@example.com both work.
    /// The cmdlet looks every e-mail of the command up once, before it sends anything (user.get), and refuses an
    /// address no active user has, or several have.
    /// </summary>
    public sealed class UserReference
    {
        public UserReference(int id)
        {
            if (id <= 0) throw new ArgumentException($"A user id is a positive number, not {id}.");
            Id = id;
        }

        public UserReference(string idOrEmail)
        {
            var text = (idOrEmail ?? "").Trim();
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0) Id = id;
            else if (text.IndexOf('@') > 0 && text.IndexOf('@') < text.Length - 1) Email = text;
            else throw new ArgumentException($"'{idOrEmail}' is neither a user id nor an e-mail address.");
        }

        /// <summary>The user id: given, or found for <see cref="Email"/>.</summary>
        public int? Id { get; private set; }

        /// <summary>The e-mail address the user was named by, or null.</summary>
        public string Email { get; }

        internal bool NeedsLookup => Id == null;

        internal void Found(int id) => Id = id;

        public override string ToString() =>
            Email == null ? Id?.ToString(CultureInfo.InvariantCulture) : Id == null ? Email : $"{Email} (user {Id.Value.ToString(CultureInfo.InvariantCulture)})";
    }
}
