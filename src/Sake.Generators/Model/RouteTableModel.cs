namespace Sake.Generators.Model;

/// <summary>
/// Every constant route the compilation declares (attribute routes and route calls), sorted by method then pattern and
/// without duplicates: the input of the generated route table. A route's index here is its id at run time.
/// </summary>
internal sealed record RouteTableModel(string AssemblyName, EquatableArray<RouteModel> Routes)
{
    /// <summary>The methods the runtime routes, in its method-index order.</summary>
    public static readonly string[] Methods = { "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" };

    public static bool IsMethod(string method) => MethodIndex(method) >= 0;

    public static int MethodIndex(string method) => System.Array.IndexOf(Methods, method);
}
