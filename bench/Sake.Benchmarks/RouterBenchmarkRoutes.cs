namespace Sake.Benchmarks;

/// <summary>
/// The 51 routes of <see cref="RouterBenchmarks"/> as constant registrations, so Sake's generator compiles them into
/// this assembly's route table (the generated matcher the benchmark compares with the runtime tree).
/// </summary>
internal static class RouterBenchmarkRoutes
{
    public static void Map(RouteGroup app, RequestHandler h)
    {
        app.Get("/api/users", h);
        app.Post("/api/users", h);
        app.Get("/api/users/{id:int}", h);
        app.Put("/api/users/{id:int}", h);
        app.Get("/api/users/{id:int}/history/{version}", h);
        app.Get("/api/orders", h);
        app.Post("/api/orders", h);
        app.Get("/api/orders/{id:int}", h);
        app.Put("/api/orders/{id:int}", h);
        app.Get("/api/orders/{id:int}/history/{version}", h);
        app.Get("/api/products", h);
        app.Post("/api/products", h);
        app.Get("/api/products/{id:int}", h);
        app.Put("/api/products/{id:int}", h);
        app.Get("/api/products/{id:int}/history/{version}", h);
        app.Get("/api/invoices", h);
        app.Post("/api/invoices", h);
        app.Get("/api/invoices/{id:int}", h);
        app.Put("/api/invoices/{id:int}", h);
        app.Get("/api/invoices/{id:int}/history/{version}", h);
        app.Get("/api/carts", h);
        app.Post("/api/carts", h);
        app.Get("/api/carts/{id:int}", h);
        app.Put("/api/carts/{id:int}", h);
        app.Get("/api/carts/{id:int}/history/{version}", h);
        app.Get("/api/reviews", h);
        app.Post("/api/reviews", h);
        app.Get("/api/reviews/{id:int}", h);
        app.Put("/api/reviews/{id:int}", h);
        app.Get("/api/reviews/{id:int}/history/{version}", h);
        app.Get("/api/coupons", h);
        app.Post("/api/coupons", h);
        app.Get("/api/coupons/{id:int}", h);
        app.Put("/api/coupons/{id:int}", h);
        app.Get("/api/coupons/{id:int}/history/{version}", h);
        app.Get("/api/shipments", h);
        app.Post("/api/shipments", h);
        app.Get("/api/shipments/{id:int}", h);
        app.Put("/api/shipments/{id:int}", h);
        app.Get("/api/shipments/{id:int}/history/{version}", h);
        app.Get("/api/returns", h);
        app.Post("/api/returns", h);
        app.Get("/api/returns/{id:int}", h);
        app.Put("/api/returns/{id:int}", h);
        app.Get("/api/returns/{id:int}/history/{version}", h);
        app.Get("/api/tickets", h);
        app.Post("/api/tickets", h);
        app.Get("/api/tickets/{id:int}", h);
        app.Put("/api/tickets/{id:int}", h);
        app.Get("/api/tickets/{id:int}/history/{version}", h);
        app.Get("/static/{*path}", h);
    }
}
